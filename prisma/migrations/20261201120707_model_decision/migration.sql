-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('promoted', 'kept');

-- CreateTable
CREATE TABLE "ModelDecision" (
    "id" UUID NOT NULL,
    "modelName" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "candidateVersionId" UUID NOT NULL,
    "parentVersionId" UUID,
    "parentVersion" INTEGER,
    "batchIds" TEXT[],
    "sessionCount" INTEGER NOT NULL,
    "outcome" "DecisionOutcome" NOT NULL,
    "reason" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "margin" DOUBLE PRECISION NOT NULL,
    "candidateMetrics" JSONB NOT NULL,
    "liveMetrics" JSONB NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelDecision_batchId_key" ON "ModelDecision"("batchId");

-- CreateIndex
CREATE INDEX "ModelDecision_modelName_createdAt_idx" ON "ModelDecision"("modelName", "createdAt");

-- AddForeignKey
ALTER TABLE "ModelDecision" ADD CONSTRAINT "ModelDecision_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "OnlineBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelDecision" ADD CONSTRAINT "ModelDecision_candidateVersionId_fkey" FOREIGN KEY ("candidateVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
