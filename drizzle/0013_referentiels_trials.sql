CREATE TABLE "case_trial_outcomes" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"trial_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"on" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "referentiel_group_members" (
	"referentiel_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referentiel_group_members_referentiel_id_user_id_pk" PRIMARY KEY("referentiel_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "referentiel_situations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"code" text NOT NULL,
	"heading" text NOT NULL,
	"recommendation" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "referentiel_situations_code_unique" UNIQUE("version_id","code")
);
--> statement-breakpoint
CREATE TABLE "referentiel_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referentiel_id" uuid NOT NULL,
	"label" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"change_summary" text DEFAULT '' NOT NULL,
	"document_key" text,
	"document_name" text,
	"document_bytes" integer,
	"document_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"validated_at" timestamp with time zone,
	"validated_by" uuid,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"superseded_at" timestamp with time zone,
	"superseded_by_id" uuid,
	CONSTRAINT "referentiel_versions_label_unique" UNIQUE("referentiel_id","label")
);
--> statement-breakpoint
CREATE TABLE "referentiels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"organ" text NOT NULL,
	"apparatus" text,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trial_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"site" text NOT NULL,
	"investigator" text DEFAULT '' NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"acronym" text,
	"eu_ct_number" text,
	"nct_id" text,
	"local_number" text,
	"sponsor" text DEFAULT '' NOT NULL,
	"phase" text,
	"status" text NOT NULL,
	"opened_at" text,
	"closed_at" text,
	"criteria" jsonb NOT NULL,
	"eligibility_text" text DEFAULT '' NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "trials_eu_ct_number_unique" UNIQUE("eu_ct_number"),
	CONSTRAINT "trials_nct_id_unique" UNIQUE("nct_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "network_editor" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "case_trial_outcomes" ADD CONSTRAINT "case_trial_outcomes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_trial_outcomes" ADD CONSTRAINT "case_trial_outcomes_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_trial_outcomes" ADD CONSTRAINT "case_trial_outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_group_members" ADD CONSTRAINT "referentiel_group_members_referentiel_id_referentiels_id_fk" FOREIGN KEY ("referentiel_id") REFERENCES "public"."referentiels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_group_members" ADD CONSTRAINT "referentiel_group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_situations" ADD CONSTRAINT "referentiel_situations_version_id_referentiel_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."referentiel_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_versions" ADD CONSTRAINT "referentiel_versions_referentiel_id_referentiels_id_fk" FOREIGN KEY ("referentiel_id") REFERENCES "public"."referentiels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_versions" ADD CONSTRAINT "referentiel_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_versions" ADD CONSTRAINT "referentiel_versions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_versions" ADD CONSTRAINT "referentiel_versions_validated_by_users_id_fk" FOREIGN KEY ("validated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_versions" ADD CONSTRAINT "referentiel_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiel_versions" ADD CONSTRAINT "referentiel_versions_superseded_by_id_referentiel_versions_id_fk" FOREIGN KEY ("superseded_by_id") REFERENCES "public"."referentiel_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referentiels" ADD CONSTRAINT "referentiels_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trial_sites" ADD CONSTRAINT "trial_sites_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trials" ADD CONSTRAINT "trials_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referentiel_group_members_user_idx" ON "referentiel_group_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "referentiel_situations_version_idx" ON "referentiel_situations" USING btree ("version_id","position");--> statement-breakpoint
CREATE INDEX "referentiel_versions_status_idx" ON "referentiel_versions" USING btree ("referentiel_id","status");--> statement-breakpoint
CREATE INDEX "trial_sites_trial_idx" ON "trial_sites" USING btree ("trial_id","position");--> statement-breakpoint
CREATE INDEX "trials_status_idx" ON "trials" USING btree ("status");--> statement-breakpoint
-- A published référentiel version is what fiches cite: its content never changes (a new
-- version is made). Only its passage to "superseded" is allowed, whoever asks.
CREATE FUNCTION "referentiel_versions_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD.status IN ('published', 'superseded') THEN
			RAISE EXCEPTION 'referentiel version % is published: it cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
		END IF;
		RETURN OLD;
	END IF;
	IF OLD.status IN ('published', 'superseded') AND (
		NEW.label IS DISTINCT FROM OLD.label OR NEW.referentiel_id IS DISTINCT FROM OLD.referentiel_id
		OR NEW.change_summary IS DISTINCT FROM OLD.change_summary OR NEW.document_key IS DISTINCT FROM OLD.document_key
		OR NEW.document_sha256 IS DISTINCT FROM OLD.document_sha256 OR NEW.published_at IS DISTINCT FROM OLD.published_at
		OR NEW.status NOT IN ('published', 'superseded') OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
	) THEN
		RAISE EXCEPTION 'referentiel version % is published: make a new version to change it', OLD.id USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "referentiel_versions_immutable" BEFORE UPDATE OR DELETE ON "referentiel_versions" FOR EACH ROW EXECUTE FUNCTION "referentiel_versions_guard"();--> statement-breakpoint
CREATE FUNCTION "referentiel_situations_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	version_status text;
BEGIN
	SELECT status INTO version_status FROM referentiel_versions WHERE id = COALESCE(NEW.version_id, OLD.version_id);
	IF version_status IN ('published', 'superseded') THEN
		RAISE EXCEPTION 'the situations of a published referentiel version cannot change' USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.version_id IS DISTINCT FROM OLD.version_id THEN
		SELECT status INTO version_status FROM referentiel_versions WHERE id = OLD.version_id;
		IF version_status IN ('published', 'superseded') THEN
			RAISE EXCEPTION 'the situations of a published referentiel version cannot change' USING ERRCODE = 'integrity_constraint_violation';
		END IF;
	END IF;
	IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "referentiel_situations_immutable" BEFORE INSERT OR UPDATE OR DELETE ON "referentiel_situations" FOR EACH ROW EXECUTE FUNCTION "referentiel_situations_guard"();
