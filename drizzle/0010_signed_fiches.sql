CREATE TABLE "fiche_recipients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"sent_fiche_id" uuid,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"channel" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fiches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"board_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"supersedes_id" uuid,
	"amendment_reason" text,
	"content" jsonb NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"development_signature" boolean NOT NULL,
	"validated_by" uuid NOT NULL,
	"validated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fiches_case_version" UNIQUE("case_id","meeting_id","version")
);
--> statement-breakpoint
ALTER TABLE "fiche_recipients" ADD CONSTRAINT "fiche_recipients_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_recipients" ADD CONSTRAINT "fiche_recipients_sent_fiche_id_fiches_id_fk" FOREIGN KEY ("sent_fiche_id") REFERENCES "public"."fiches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiche_recipients" ADD CONSTRAINT "fiche_recipients_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiches" ADD CONSTRAINT "fiches_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiches" ADD CONSTRAINT "fiches_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiches" ADD CONSTRAINT "fiches_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiches" ADD CONSTRAINT "fiches_supersedes_id_fiches_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."fiches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiches" ADD CONSTRAINT "fiches_validated_by_users_id_fk" FOREIGN KEY ("validated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fiche_recipients_case_idx" ON "fiche_recipients" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fiches_sha256_idx" ON "fiches" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "fiches_supersedes_idx" ON "fiches" USING btree ("supersedes_id");--> statement-breakpoint
CREATE INDEX "fiches_meeting_idx" ON "fiches" USING btree ("meeting_id");--> statement-breakpoint
-- A signed fiche is immutable: no UPDATE, no DELETE, whoever asks (the application's own
-- connection included). An amendment is a new row that supersedes it.
CREATE FUNCTION "fiches_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'fiche % is signed: it cannot be changed or deleted (amend it: a new version supersedes it)', OLD.id
		USING ERRCODE = 'integrity_constraint_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "fiches_immutable" BEFORE UPDATE OR DELETE ON "fiches" FOR EACH ROW EXECUTE FUNCTION "fiches_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "fiches_no_truncate" BEFORE TRUNCATE ON "fiches" FOR EACH STATEMENT EXECUTE FUNCTION "fiches_refuse_change"();
