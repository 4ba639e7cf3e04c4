-- CreateEnum
CREATE TYPE "FitnessPolicy" AS ENUM ('patience', 'paper');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "fitnessPolicy" "FitnessPolicy" NOT NULL DEFAULT 'patience',
ADD COLUMN     "pruning" BOOLEAN NOT NULL DEFAULT false;

-- Every campaign before this migration was scored by the paper's rule.
UPDATE "Campaign" SET "fitnessPolicy" = 'paper';

-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN     "bestEpoch" INTEGER,
ADD COLUMN     "rung" INTEGER,
ADD COLUMN     "stopReason" TEXT;

-- CreateTable
CREATE TABLE "PruningRung" (
    "campaignId" UUID NOT NULL,
    "candidateId" UUID NOT NULL,
    "rung" INTEGER NOT NULL,
    "fitness" DOUBLE PRECISION NOT NULL,
    "promoted" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PruningRung_pkey" PRIMARY KEY ("candidateId","rung")
);

-- CreateIndex
CREATE INDEX "PruningRung_campaignId_rung_idx" ON "PruningRung"("campaignId", "rung");

-- AddForeignKey
ALTER TABLE "PruningRung" ADD CONSTRAINT "PruningRung_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PruningRung" ADD CONSTRAINT "PruningRung_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE CASCADE ON UPDATE CASCADE;
