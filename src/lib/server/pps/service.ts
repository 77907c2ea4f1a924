/**
 * The PPS service: who may read and write a case's PPS (access.ts), its drafts
 * (drafts.ts), issuing and handing over (issue.ts), and what the pages show (case-view.ts).
 * Routes import from here.
 */
export { mayWritePps, ppsAccess, ppsWriteAccess, type PpsAccess } from './access.ts';
export { discardPpsDraft, newPpsVersion, savePpsDraft, startPps, versionFor, type PpsActor, type PpsFieldErrors, type SaveResult, type StartResult } from './drafts.ts';
export { handOverPps, issuePps, type HandOverResult, type IssueResult } from './issue.ts';
export { isIssuedVersionOf, ppsOfCase, type IssuedPpsEntry, type PpsCaseView, type PpsDraftView } from './case-view.ts';
