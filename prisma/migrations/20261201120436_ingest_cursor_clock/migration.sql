-- AlterTable
ALTER TABLE "IngestCursor" ADD COLUMN     "lines" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "watermark" TIMESTAMP(3);
