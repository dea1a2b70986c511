CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Order" ("Id" int PRIMARY KEY, "select" text, "a""b" int);
CREATE INDEX "Order idx" ON "My Schema"."Order" ("select");
CREATE TYPE "My Schema"."Kind" AS ENUM ($$it's$$, $$ok$$);
