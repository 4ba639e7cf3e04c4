-- CreateEnum
CREATE TYPE "OnlineBatchState" AS ENUM ('open', 'queued', 'training', 'decided', 'failed');

-- CreateTable
CREATE TABLE "OnlineSession" (
    "id" TEXT NOT NULL,
    "modelName" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "records" JSONB NOT NULL,
    "firstEventAt" TIMESTAMP(3) NOT NULL,
    "lastEventAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hasPurchase" BOOLEAN NOT NULL,
    "batchId" TEXT,

    CONSTRAINT "OnlineSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngestCursor" (
    "source" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IngestCursor_pkey" PRIMARY KEY ("source")
);

-- CreateTable
CREATE TABLE "IngestOpenSession" (
    "source" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "records" JSONB NOT NULL,
    "firstEventAt" TIMESTAMP(3) NOT NULL,
    "lastEventAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IngestOpenSession_pkey" PRIMARY KEY ("source","key")
);

-- CreateTable
CREATE TABLE "OnlineBatch" (
    "id" TEXT NOT NULL,
    "modelName" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "sessionCount" INTEGER NOT NULL,
    "state" "OnlineBatchState" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "OnlineBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OnlineSession_modelName_hasPurchase_batchId_lastEventAt_idx" ON "OnlineSession"("modelName", "hasPurchase", "batchId", "lastEventAt");

-- CreateIndex
CREATE INDEX "OnlineSession_batchId_idx" ON "OnlineSession"("batchId");

-- CreateIndex
CREATE UNIQUE INDEX "OnlineSession_modelName_sourceKey_firstEventAt_key" ON "OnlineSession"("modelName", "sourceKey", "firstEventAt");

-- CreateIndex
CREATE INDEX "OnlineBatch_state_idx" ON "OnlineBatch"("state");

-- CreateIndex
CREATE UNIQUE INDEX "OnlineBatch_modelName_seq_key" ON "OnlineBatch"("modelName", "seq");

-- AddForeignKey
ALTER TABLE "OnlineSession" ADD CONSTRAINT "OnlineSession_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "OnlineBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
