CREATE TABLE t (w int, h int, area int GENERATED ALWAYS AS (w * h * 2) STORED, half int GENERATED ALWAYS AS (w / 2) STORED);
