-- Feature quality is counted in the minute buckets and the stored tiers (the summary's "quality"); this per-minute table
-- was written on every batch and read by nothing, and it grew forever.
DROP TABLE feature_quality_minute;
