import { describe, expect, it } from 'vitest';
import settings from '../../../project.inlang/settings.json';
import { m } from '$lib/paraglide/messages';
import { localeSwitchHref } from './locales';

const keys = (messages: object) => Object.keys(messages).filter((key) => key !== '$schema').sort();

/** Every message file of a locale (one per part of the app, see project.inlang/settings.json). */
const files = import.meta.glob<object>('../../../messages/**/*.json', { eager: true, import: 'default' });
const patterns = settings['plugin.inlang.messageFormat'].pathPattern;
const messagesOf = (locale: string) => patterns.map((pattern) => files[`../../..${pattern.slice(1).replace('{locale}', locale)}`]);

describe('messages', () => {
	it('exist in French and in English alike, file by file', () => {
		const fr = messagesOf('fr');
		const en = messagesOf('en');
		expect(fr.every(Boolean) && en.every(Boolean)).toBe(true);
		fr.forEach((messages, index) => expect(keys(en[index])).toEqual(keys(messages)));
	});

	it('never define a key twice across files', () => {
		const all = messagesOf('fr').flatMap(keys);
		expect(all.length).toBe(new Set(all).size);
	});

	// The compiler only warns when it cannot load its message-format plugin, and then emits
	// no messages at all: this fails in that case.
	it('are compiled, French by default and English on request', () => {
		expect(m.room_join()).toBe('Rejoindre la salle');
		expect(m.room_join({}, { locale: 'en' })).toBe('Join the room');
		expect(m.room_heading({ roomId: 'rcp-thorax' }, { locale: 'en' })).toBe('Room rcp-thorax');
	});

	it('count participants with the plural of each language', () => {
		expect(m.room_participant_count({ count: 1 })).toBe('Vous êtes seul dans la salle.');
		expect(m.room_participant_count({ count: 2 })).toBe('2 participants dans la salle.');
		expect(m.room_participant_count({ count: 1 }, { locale: 'en' })).toBe('You are alone in the room.');
		expect(m.room_participant_count({ count: 12 }, { locale: 'en' })).toBe('12 participants in the room.');
	});
});

describe('localeSwitchHref', () => {
	it('asks for the language on the same page, keeping its query', () => {
		expect(localeSwitchHref(new URL('http://h/rooms/rcp-thorax'), 'en')).toBe('/rooms/rcp-thorax?lang=en');
		expect(localeSwitchHref(new URL('http://h/rooms?id=a&lang=fr'), 'en')).toBe('/rooms?id=a&lang=en');
	});
});
