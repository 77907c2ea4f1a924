ALTER TABLE "cases" ADD COLUMN "complete_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "case_decisions_meeting_idx" ON "case_decisions" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "case_meeting_history_meeting_idx" ON "case_meeting_history" USING btree ("meeting_id");--> statement-breakpoint
-- Cases already past registration: when their fiche became complete, from the audit trail.
UPDATE "cases" SET "complete_at" = (
	SELECT min(a."at") FROM "audit_events" a
	WHERE a."entity_type" = 'case' AND a."entity_id" = "cases"."id"::text
		AND (a."details"->>'status' = 'complete' OR a."details"->'status'->>'to' = 'complete')
) WHERE "status" NOT IN ('draft', 'registered');
