/**
 * What the presenter's commands carry: the document shown, its page, zoom and position,
 * and the annotations drawn on it. Small messages every client applies to its own copy
 * of the document (rendered at full quality in each browser), never pixels.
 * Coordinates are fractions of the page (0–1), so that they mean the same at any size.
 */
import { z } from 'zod';

const Fraction = z.number().min(0).max(1);
const Point = z.strictObject({ x: Fraction, y: Fraction });

export const Annotation = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('arrow'), from: Point, to: Point }),
	z.strictObject({ kind: z.literal('circle'), center: Point, radius: z.number().min(0.002).max(1) }),
	z.strictObject({ kind: z.literal('freehand'), points: z.array(Point).min(2).max(500) })
]);
export type Annotation = z.infer<typeof Annotation>;

/** The presenter's view of one document. */
export const DocumentView = z.strictObject({
	attachmentId: z.uuid(),
	page: z.number().int().min(1).max(10_000),
	zoom: z.number().min(0.25).max(8),
	/** The point of the page at the centre of the view. */
	center: Point,
	/** Drawings on the current page (cleared when the page changes). */
	annotations: z.array(Annotation).max(200)
});
export type DocumentView = z.infer<typeof DocumentView>;

/** The first view of a document: page 1, whole page. */
export const firstView = (attachmentId: string): DocumentView => ({
	attachmentId,
	page: 1,
	zoom: 1,
	center: { x: 0.5, y: 0.5 },
	annotations: []
});
