CREATE TABLE "attachment_chunks" (
	"object_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_object_id_seq_pk" PRIMARY KEY("object_id","seq")
);
--> statement-breakpoint
CREATE TABLE "attachment_objects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"chunk_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_objects_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "attachment_chunks" ADD CONSTRAINT "attachment_chunks_object_id_attachment_objects_id_fk" FOREIGN KEY ("object_id") REFERENCES "public"."attachment_objects"("id") ON DELETE cascade ON UPDATE no action;