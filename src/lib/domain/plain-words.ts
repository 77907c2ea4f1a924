/**
 * Medical words in plain French, for the documents given to patients (the PPS): a
 * document that uses one of these words explains it in its glossary. The explanations
 * are short sentences a patient can read without a dictionary.
 */

/** A medical word and its explanation in everyday French. */
export interface PlainWord {
	term: string;
	plain: string;
}

/** The medical words Concerto explains, in the order a glossary lists them. */
export const PLAIN_WORDS: readonly PlainWord[] = [
	{ term: 'chimiothérapie adjuvante', plain: "traitement par médicaments donné après l'opération pour réduire le risque de rechute" },
	{ term: 'chimiothérapie néoadjuvante', plain: "traitement par médicaments donné avant l'opération pour réduire la taille de la tumeur" },
	{ term: 'radiochimiothérapie', plain: 'rayons et médicaments contre le cancer donnés pendant la même période' },
	{ term: 'chimiothérapie', plain: 'médicaments qui détruisent les cellules du cancer, par perfusion ou en comprimés' },
	{ term: 'radiothérapie', plain: 'traitement par des rayons dirigés sur la tumeur ; il ne fait pas mal' },
	{ term: 'curiethérapie', plain: 'radiothérapie faite en plaçant une petite source de rayons au contact de la tumeur' },
	{ term: 'hormonothérapie', plain: 'traitement qui bloque les hormones dont certains cancers ont besoin pour grandir' },
	{ term: 'immunothérapie', plain: 'traitement qui aide vos propres défenses à combattre le cancer' },
	{ term: 'thérapie ciblée', plain: 'médicament qui agit sur une anomalie précise des cellules du cancer' },
	{ term: 'soins de support', plain: 'soins pour aller mieux pendant et après le traitement : douleur, fatigue, alimentation, moral' },
	{ term: 'soins palliatifs', plain: 'soins qui soulagent les symptômes et préservent la qualité de vie' },
	{ term: 'activité physique adaptée', plain: 'sport ou exercice encadré, adapté à votre état de santé' },
	{ term: 'chambre implantable', plain: 'petit boîtier placé sous la peau pour recevoir les perfusions sans piquer les veines à chaque fois' },
	{ term: 'colectomie', plain: 'opération qui enlève une partie du côlon (le gros intestin)' },
	{ term: 'mastectomie', plain: 'opération qui enlève le sein' },
	{ term: 'tumorectomie', plain: 'opération qui enlève la tumeur en gardant le sein' },
	{ term: 'lobectomie', plain: 'opération qui enlève une partie (un lobe) du poumon' },
	{ term: 'stomie', plain: "ouverture de l'intestin sur le ventre, reliée à une poche" },
	{ term: 'adénocarcinome', plain: "cancer qui naît dans les cellules d'une glande ou d'une muqueuse" },
	{ term: 'carcinome', plain: 'cancer qui naît dans les cellules qui tapissent un organe' },
	{ term: 'tumeur', plain: 'grosseur formée par des cellules qui se multiplient trop' },
	{ term: 'métastase', plain: "cellules du cancer parties s'installer dans un autre organe" },
	{ term: 'ganglion', plain: "petit organe qui filtre la lymphe ; le cancer peut s'y étendre" },
	{ term: 'récidive', plain: 'retour de la maladie après le traitement' },
	{ term: 'rémission', plain: 'la maladie ne se voit plus aux examens' },
	{ term: 'biopsie', plain: "prélèvement d'un petit morceau de tissu pour l'examiner au microscope" },
	{ term: 'scanner', plain: "examen qui prend des images de l'intérieur du corps avec des rayons X" },
	{ term: 'IRM', plain: "examen qui prend des images de l'intérieur du corps avec un aimant, sans rayons" },
	{ term: 'TEP-scanner', plain: 'examen qui montre les zones du corps où les cellules consomment beaucoup de sucre' },
	{ term: 'coloscopie', plain: "examen de l'intérieur du côlon avec une caméra souple, sous anesthésie" },
	{ term: 'mammographie', plain: 'radiographie des seins' },
	{ term: 'ACE', plain: 'marqueur dans une prise de sang, suivi après un cancer du côlon' },
	{ term: 'oncologue', plain: 'médecin spécialiste du cancer' },
	{ term: 'RCP', plain: 'réunion où plusieurs médecins spécialistes décident ensemble du traitement proposé' },
	{ term: 'médecin traitant', plain: 'votre médecin habituel, le plus souvent un généraliste' },
	{ term: 'infirmier de coordination', plain: 'infirmier qui organise votre parcours et répond à vos questions' },
	{ term: 'infirmière de coordination', plain: 'infirmière qui organise votre parcours et répond à vos questions' },
	{ term: 'effets secondaires', plain: 'effets gênants du traitement, comme la fatigue ou les nausées' }
];

/** Letters or digits around a term mean it is part of another word. */
const WORD_EDGE = String.raw`[\p{L}\p{N}]`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);

/**
 * A term found as a whole word, in the singular or the plural ("métastases"), whatever
 * its case; abbreviations (all capitals: IRM, ACE) only as written, so "ace" in a word or
 * a sentence is not read as the marker.
 */
function matcher(term: string): RegExp {
	const caseSensitive = term === term.toLocaleUpperCase('fr-FR');
	return new RegExp(`(?<!${WORD_EDGE})${escape(term)}(?:s|x)?(?!${WORD_EDGE})`, caseSensitive ? 'gu' : 'giu');
}

/**
 * The words of `words` used in `texts`, in table order, each once. A phrase that is found
 * hides the shorter words inside it ("chimiothérapie adjuvante" explains itself; the
 * bare "chimiothérapie" is explained only if it also appears alone).
 */
export function explainedWords(texts: readonly string[], words: readonly PlainWord[] = PLAIN_WORDS): PlainWord[] {
	let remaining = texts.join('\n');
	const byLength = [...words].sort((a, b) => b.term.length - a.term.length);
	const found = new Set<PlainWord>();
	for (const word of byLength) {
		const pattern = matcher(word.term);
		if (!pattern.test(remaining)) continue;
		found.add(word);
		remaining = remaining.replace(matcher(word.term), ' ');
	}
	return words.filter((word) => found.has(word));
}
