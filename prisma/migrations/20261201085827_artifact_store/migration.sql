-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN     "artifactHash" TEXT;

-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "artifactHash" TEXT,
ADD COLUMN     "bytes" BIGINT;

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "artifactHash" TEXT;

-- CreateTable
CREATE TABLE "Artifact" (
    "id" UUID NOT NULL,
    "hash" TEXT,
    "kind" TEXT NOT NULL,
    "label" TEXT,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "chunkCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Artifact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArtifactChunk" (
    "artifactId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ArtifactChunk_pkey" PRIMARY KEY ("artifactId","index")
);

-- CreateIndex
CREATE UNIQUE INDEX "Artifact_hash_key" ON "Artifact"("hash");

-- CreateIndex
CREATE INDEX "Artifact_completedAt_idx" ON "Artifact"("completedAt");

-- AddForeignKey
ALTER TABLE "ArtifactChunk" ADD CONSTRAINT "ArtifactChunk_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Chunks are packed files, mostly incompressible: store them out of line
-- without pglz compression (faster pushes, same size).
ALTER TABLE "ArtifactChunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;
