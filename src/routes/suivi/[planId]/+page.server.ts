import { fail } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { defaultGpExpiry } from '$lib/domain/follow-up-gp';
import { inviteGp, revokeGpLink } from '$lib/server/follow-up/gp-links';
import { planView } from '$lib/server/follow-up/plan-view';
import { adjustPlan, closePlan } from '$lib/server/follow-up/plans';
import { followUpViewer } from '$lib/server/follow-up/viewer';
import { recordVisit } from '$lib/server/follow-up/visits';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const view = await planView(runtime().database.db, followUpViewer(event), event.params.planId, event.getClientAddress());
	if (!view.ok) refuse(view);
	return { ...view, defaultExpiry: defaultGpExpiry(view.today) };
};

const text = (body: FormData, name: string) => String(body.get(name) ?? '');

/** The visit form as typed, to fill it again after a refusal. */
function visitValues(body: FormData) {
	return {
		itemId: text(body, 'itemId'),
		doneOn: text(body, 'doneOn'),
		by: text(body, 'by'),
		findings: text(body, 'findings'),
		examsDone: body.getAll('examsDone').map(String),
		examsOther: text(body, 'examsOther'),
		relapseSuspected: body.get('relapseSuspected') === 'on',
		relapseNote: text(body, 'relapseNote'),
		registerRelapse: body.get('registerRelapse') === 'on'
	};
}

async function adjust(event: RequestEvent, read: (body: FormData) => { values: Record<string, string>; adjustment: unknown }) {
	const user = requireUser(event);
	const { values, adjustment } = read(await event.request.formData());
	const result = await adjustPlan(runtime().database.db, { user, address: event.getClientAddress() }, event.params.planId, adjustment);
	if (result.ok) return { adjusted: true };
	if (result.reason === 'invalid') return fail(400, { adjust: { values, errors: result.errors } });
	if (result.reason === 'closed') return fail(409, { adjust: { values, errors: { form: 'closed' } } });
	refuse(result);
}

export const actions: Actions = {
	visit: async (event) => {
		const viewer = followUpViewer(event);
		const values = visitValues(await event.request.formData());
		const others = values.examsOther.split('\n').map((line) => line.trim()).filter(Boolean);
		const input = {
			itemId: values.itemId || undefined,
			doneOn: values.doneOn,
			by: viewer.kind === 'gp' ? 'gp' : values.by,
			findings: values.findings,
			examsDone: [...values.examsDone, ...others],
			relapseSuspected: values.relapseSuspected,
			relapseNote: values.relapseSuspected ? values.relapseNote : undefined
		};
		const result = await recordVisit(runtime().database.db, { viewer, address: event.getClientAddress() }, event.params.planId, input, {
			registerRelapse: values.registerRelapse
		});
		if (result.ok) return { recorded: { relapse: result.relapse, noOpenMeeting: result.noOpenMeeting } };
		if (result.reason === 'invalid') return fail(400, { visit: { values, errors: result.errors } });
		refuse(result);
	},
	move: (event) =>
		adjust(event, (body) => {
			const values = { itemId: text(body, 'itemId'), due: text(body, 'due') };
			return { values, adjustment: { type: 'move', ...values } };
		}),
	remove: (event) =>
		adjust(event, (body) => {
			const values = { itemId: text(body, 'itemId') };
			return { values, adjustment: { type: 'remove', ...values } };
		}),
	add: (event) =>
		adjust(event, (body) => {
			const values = { kind: text(body, 'kind'), label: text(body, 'label'), who: text(body, 'who'), due: text(body, 'due'), examKind: text(body, 'examKind') };
			const item = { kind: values.kind, label: values.label, who: values.who, due: values.due, ...(values.kind === 'exam' && values.examKind ? { examKind: values.examKind } : {}) };
			return { values, adjustment: { type: 'add', item } };
		}),
	close: async (event) => {
		const user = requireUser(event);
		const result = await closePlan(runtime().database.db, { user, address: event.getClientAddress() }, event.params.planId);
		if (result.ok || result.reason === 'closed') return { closed: true };
		if (result.reason === 'invalid') return fail(400, {});
		refuse(result);
	},
	invite: async (event) => {
		const user = requireUser(event);
		const body = await event.request.formData();
		const values = { name: text(body, 'name'), email: text(body, 'email'), rpps: text(body, 'rpps'), expiresOn: text(body, 'expiresOn') };
		const result = await inviteGp(runtime().database.db, { user, address: event.getClientAddress() }, event.params.planId, values);
		if (result.ok) return { inviteLink: `${event.url.origin}/medecin/${result.token}` };
		if (result.reason === 'invalid') return fail(400, { invite: { values, errors: result.errors } });
		refuse(result);
	},
	revoke: async (event) => {
		const user = requireUser(event);
		const linkId = text(await event.request.formData(), 'linkId');
		const result = await revokeGpLink(runtime().database.db, { user, address: event.getClientAddress() }, event.params.planId, linkId);
		if (result.ok) return { revoked: true };
		refuse(result);
	}
};
