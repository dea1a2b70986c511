-- Message: Add content metrics
-- Revision ID: b7c6abe58f53
-- Revises: 0f49c244f95e
-- Create Date: 2025-02-04 09:02:15
-- Branch Labels: analytics
-- Transactional: true

-- migrate:upgrade
-- Counters as the platforms report them, one row per collection run.
CREATE TABLE content_metrics (
    content_id    bigint NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    platform      varchar(32) NOT NULL,
    collected_at  timestamptz NOT NULL DEFAULT now(),
    impressions   bigint NOT NULL DEFAULT 0 CHECK (impressions >= 0),
    likes         bigint NOT NULL DEFAULT 0 CHECK (likes >= 0),
    reposts       bigint NOT NULL DEFAULT 0 CHECK (reposts >= 0),
    replies       bigint NOT NULL DEFAULT 0 CHECK (replies >= 0),
    PRIMARY KEY (content_id, platform, collected_at)
);

CREATE VIEW content_engagement AS
SELECT DISTINCT ON (content_id, platform)
       content_id,
       platform,
       collected_at,
       impressions,
       likes + reposts + replies AS engagements,
       CASE WHEN impressions = 0 THEN NULL
            ELSE round((likes + reposts + replies)::numeric / impressions, 4)
       END AS engagement_rate
  FROM content_metrics
 ORDER BY content_id, platform, collected_at DESC;

-- migrate:downgrade
DROP VIEW content_engagement;
DROP TABLE content_metrics;
