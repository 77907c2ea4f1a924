import { describe, expect, it } from 'vitest';
import { PLAIN_WORDS, explainedWords } from './plain-words.ts';

const terms = (texts: string[]) => explainedWords(texts).map((word) => word.term);

describe('explainedWords', () => {
	it('finds the medical words of a text, whatever their case or number, in glossary order', () => {
		expect(terms(['Radiothérapie du sein, puis Hormonothérapie.', 'Pas de métastases ni de ganglions atteints.'])).toEqual([
			'radiothérapie',
			'hormonothérapie',
			'métastase',
			'ganglion'
		]);
	});

	it('explains a phrase once, and the shorter word inside it only when it also stands alone', () => {
		expect(terms(['Chimiothérapie adjuvante pendant 3 mois'])).toEqual(['chimiothérapie adjuvante']);
		expect(terms(['Chimiothérapie adjuvante, puis une autre chimiothérapie'])).toEqual(['chimiothérapie adjuvante', 'chimiothérapie']);
		expect(terms(['TEP-scanner en juin'])).toEqual(['TEP-scanner']);
	});

	it('reads whole words only, and abbreviations as written', () => {
		expect(terms(['Une grande place, une surface, un espace de paroles'])).toEqual([]);
		expect(terms(['Dosage de l’ACE tous les 6 mois'])).toEqual(['ACE']);
		expect(terms(['Dosage de l’ace'])).toEqual([]);
		expect(terms(['Réunion (RCP) du 3 mars'])).toEqual(['RCP']);
	});

	it('explains every word in short, plain French', () => {
		for (const word of PLAIN_WORDS) {
			expect(word.plain.length, word.term).toBeLessThan(120);
			expect(explainedWords([word.term]).map((found) => found.term), word.term).toContain(word.term);
		}
		expect(new Set(PLAIN_WORDS.map((word) => word.term.toLowerCase())).size).toBe(PLAIN_WORDS.length);
	});
});
