CREATE TABLE "follow_up_gp_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"rpps" text,
	"token_hash" text NOT NULL,
	"session_hash" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "follow_up_gp_links_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "follow_up_gp_links_session_hash_unique" UNIQUE("session_hash")
);
--> statement-breakpoint
CREATE TABLE "follow_up_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"board_id" uuid NOT NULL,
	"template_id" uuid,
	"template" jsonb NOT NULL,
	"start_on" text NOT NULL,
	"items" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"opened_by" uuid NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "follow_up_plans_case_id_unique" UNIQUE("case_id")
);
--> statement-breakpoint
CREATE TABLE "follow_up_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organ" text NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "follow_up_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"item_id" text,
	"done_on" text NOT NULL,
	"by" text NOT NULL,
	"findings" text DEFAULT '' NOT NULL,
	"exams_done" jsonb NOT NULL,
	"relapse_suspected" boolean DEFAULT false NOT NULL,
	"relapse_note" text,
	"relapse_case_id" uuid,
	"recorded_by_user" uuid,
	"recorded_by_gp_link" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pps_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"board_id" uuid NOT NULL,
	"fiche_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"supersedes_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"content" jsonb NOT NULL,
	"update_reason" text,
	"snapshot" jsonb,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_at" timestamp with time zone,
	"issued_by" uuid,
	"handed_over_at" timestamp with time zone,
	"handed_over_by" uuid,
	CONSTRAINT "pps_versions_set_version" UNIQUE("set_id","version")
);
--> statement-breakpoint
ALTER TABLE "follow_up_gp_links" ADD CONSTRAINT "follow_up_gp_links_plan_id_follow_up_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."follow_up_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_gp_links" ADD CONSTRAINT "follow_up_gp_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_plans" ADD CONSTRAINT "follow_up_plans_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_plans" ADD CONSTRAINT "follow_up_plans_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_plans" ADD CONSTRAINT "follow_up_plans_template_id_follow_up_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."follow_up_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_plans" ADD CONSTRAINT "follow_up_plans_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_templates" ADD CONSTRAINT "follow_up_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_templates" ADD CONSTRAINT "follow_up_templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_plan_id_follow_up_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."follow_up_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_relapse_case_id_cases_id_fk" FOREIGN KEY ("relapse_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_recorded_by_user_users_id_fk" FOREIGN KEY ("recorded_by_user") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_recorded_by_gp_link_follow_up_gp_links_id_fk" FOREIGN KEY ("recorded_by_gp_link") REFERENCES "public"."follow_up_gp_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_fiche_id_fiches_id_fk" FOREIGN KEY ("fiche_id") REFERENCES "public"."fiches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_supersedes_id_pps_versions_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."pps_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pps_versions" ADD CONSTRAINT "pps_versions_handed_over_by_users_id_fk" FOREIGN KEY ("handed_over_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_gp_links_plan_idx" ON "follow_up_gp_links" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "follow_up_plans_board_idx" ON "follow_up_plans" USING btree ("board_id","status");--> statement-breakpoint
CREATE INDEX "follow_up_templates_organ_idx" ON "follow_up_templates" USING btree ("organ");--> statement-breakpoint
CREATE INDEX "follow_up_visits_plan_idx" ON "follow_up_visits" USING btree ("plan_id","done_on");--> statement-breakpoint
CREATE UNIQUE INDEX "pps_versions_one_draft_idx" ON "pps_versions" USING btree ("set_id") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "pps_versions_case_idx" ON "pps_versions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "pps_versions_board_idx" ON "pps_versions" USING btree ("board_id");--> statement-breakpoint
CREATE FUNCTION "pps_versions_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD.status = 'issued' THEN
			RAISE EXCEPTION 'PPS version % is issued: it cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
		END IF;
		RETURN OLD;
	END IF;
	-- An issued version changes only by being handed over to the patient, once.
	IF OLD.status = 'issued' AND (
		NEW.status IS DISTINCT FROM OLD.status OR NEW.content IS DISTINCT FROM OLD.content
		OR NEW.snapshot IS DISTINCT FROM OLD.snapshot OR NEW.version IS DISTINCT FROM OLD.version
		OR NEW.set_id IS DISTINCT FROM OLD.set_id OR NEW.case_id IS DISTINCT FROM OLD.case_id
		OR NEW.fiche_id IS DISTINCT FROM OLD.fiche_id OR NEW.update_reason IS DISTINCT FROM OLD.update_reason
		OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.issued_by IS DISTINCT FROM OLD.issued_by
		OR (OLD.handed_over_at IS NOT NULL AND (NEW.handed_over_at IS DISTINCT FROM OLD.handed_over_at OR NEW.handed_over_by IS DISTINCT FROM OLD.handed_over_by))
	) THEN
		RAISE EXCEPTION 'PPS version % is issued: make a new version to change it', OLD.id USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "pps_versions_immutable" BEFORE UPDATE OR DELETE ON "pps_versions" FOR EACH ROW EXECUTE FUNCTION "pps_versions_guard"();
