-- A finished candidate (completed, failed, cancelled) is a record of what was
-- measured: nothing may change it afterwards, whichever client writes. The
-- repositories refuse such updates first with a typed error; this trigger is
-- the guarantee for anything that bypasses them. Deleting the whole campaign
-- (cascade) stays possible.
CREATE FUNCTION "refuse_finished_candidate_update"() RETURNS trigger AS $$
BEGIN
  IF OLD."state" IN ('completed', 'failed', 'cancelled') THEN
    RAISE EXCEPTION 'candidate % is %, and a finished candidate cannot be changed', OLD."id", OLD."state"
      USING ERRCODE = 'P0001', HINT = 'finished_candidate_immutable';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Candidate_finished_immutable"
  BEFORE UPDATE ON "Candidate"
  FOR EACH ROW EXECUTE FUNCTION "refuse_finished_candidate_update"();
