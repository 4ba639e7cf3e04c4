-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);
