CREATE TABLE "meeting_admissions" (
	"meeting_id" uuid NOT NULL,
	"participant_key" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" uuid,
	CONSTRAINT "meeting_admissions_meeting_id_participant_key_pk" PRIMARY KEY("meeting_id","participant_key")
);
--> statement-breakpoint
CREATE TABLE "meeting_chat_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"author_user_id" uuid,
	"author_guest_id" uuid,
	"author_name" text NOT NULL,
	"text" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "room_locked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "room_presences" ADD COLUMN "meeting_id" uuid;--> statement-breakpoint
ALTER TABLE "room_presences" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "room_presences" ADD COLUMN "guest_id" uuid;--> statement-breakpoint
ALTER TABLE "room_presences" ADD COLUMN "specialty" text;--> statement-breakpoint
ALTER TABLE "room_presences" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "meeting_admissions" ADD CONSTRAINT "meeting_admissions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_admissions" ADD CONSTRAINT "meeting_admissions_by_users_id_fk" FOREIGN KEY ("by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_chat_messages" ADD CONSTRAINT "meeting_chat_messages_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_chat_messages" ADD CONSTRAINT "meeting_chat_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_chat_messages" ADD CONSTRAINT "meeting_chat_messages_author_guest_id_meeting_guests_id_fk" FOREIGN KEY ("author_guest_id") REFERENCES "public"."meeting_guests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_chat_meeting_idx" ON "meeting_chat_messages" USING btree ("meeting_id","at");--> statement-breakpoint
CREATE INDEX "room_presences_meeting_idx" ON "room_presences" USING btree ("meeting_id","joined_at");