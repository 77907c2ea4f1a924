CREATE TABLE "room_presences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"room_id" text NOT NULL,
	"peer_id" text NOT NULL,
	"display_name" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "room_presences_peer_id_unique" UNIQUE("peer_id")
);
--> statement-breakpoint
CREATE INDEX "room_presences_room_idx" ON "room_presences" USING btree ("room_id","joined_at");