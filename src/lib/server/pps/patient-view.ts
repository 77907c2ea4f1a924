/**
 * What the patient's copy of the PPS says, already in words: the PDF prints it as given.
 * The PPS snapshot (codes, versions, authors) is turned into this view by the service that
 * hands the PPS over; keeping the PDF on plain words lets it be read and tested alone.
 */

/** One phase of the treatment calendar. */
export interface PatientPpsPhase {
	/** What is done, in words: "Chimiothérapie adjuvante (6 cures)". */
	what: string;
	/** First day 'YYYY-MM-DD'. */
	from: string;
	/** Last day 'YYYY-MM-DD', or null when not known yet. */
	to: string | null;
	/** Where: "Hôpital de jour d'oncologie, CHU de Démo-sur-Loire". */
	where: string;
}

/** A member of the care team. */
export interface PatientPpsContact {
	/** The role in words: "Médecin référent (oncologue)", "Médecin traitant". */
	roleLabel: string;
	name: string;
	phone?: string;
	email?: string;
}

/** A supportive care or a social support offered, and what to know about it. */
export interface PatientPpsOffer {
	label: string;
	note?: string;
}

/** Whom to call in one situation. */
export interface PatientPpsCall {
	/** "Fièvre de 38,5 °C ou plus", "Douleur", "Une question". */
	situation: string;
	/** Who and how: "Service d'oncologie, 05 49 00 00 01, jour et nuit". */
	contact: string;
}

/** The patient's PPS in plain French, as printed. */
export interface PatientPpsView {
	/** As the patient is addressed: "Mme Jeanne Martin". */
	patientName: string;
	/** The diagnosis in words. */
	diagnosis: string;
	phases: readonly PatientPpsPhase[];
	careTeam: readonly PatientPpsContact[];
	supportiveCare: readonly PatientPpsOffer[];
	socialSupport: readonly PatientPpsOffer[];
	/** How the side effects of the treatment are managed (JDV_GestionEffetsSecondaires), and what to do. */
	sideEffects: readonly PatientPpsOffer[];
	/** Measures around the treatment (JDV_MesuresAssociees). */
	associatedMeasures: readonly PatientPpsOffer[];
	whomToCall: readonly PatientPpsCall[];
	version: number;
	/** The day this version was made, 'YYYY-MM-DD'. */
	date: string;
	/** Who gives it (the network or the hospital), named in the document information. */
	issuer: string;
}
