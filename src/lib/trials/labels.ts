/** The directory's statuses and inclusion outcomes in the reader's language. */
import type { TrialOutcome, TrialStatus } from '$lib/domain/trial';
import { m } from '$lib/paraglide/messages';

const STATUS: Record<TrialStatus, () => string> = { open: m.trial_status_open, suspended: m.trial_status_suspended, closed: m.trial_status_closed };
const OUTCOME: Record<TrialOutcome, () => string> = { included: m.trial_outcome_included, 'not-included': m.trial_outcome_not_included };

/** "Ouvert", "Suspendu", "Clos". */
export const trialStatusLabel = (status: TrialStatus): string => STATUS[status]();
/** "Inclus", "Non inclus". */
export const trialOutcomeLabel = (outcome: TrialOutcome): string => OUTCOME[outcome]();
