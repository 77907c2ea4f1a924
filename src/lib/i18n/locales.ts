import { baseLocale, locales, overwriteGetLocale, toLocale, type Locale } from '$lib/paraglide/runtime';

/**
 * The query parameter of the language switcher's links (`?lang=en`): the server stores the
 * choice in a cookie and sends the browser back to the same page without it.
 */
export const LOCALE_PARAM = 'lang';

/** Each language named in itself, as the language switcher shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { fr: 'Français', en: 'English' };

export { locales };
export type { Locale };

/** The switcher's link to `locale`: the current page, asking for `locale`. */
export function localeSwitchHref(url: URL, locale: Locale): string {
	const target = new URL(url);
	target.searchParams.set(LOCALE_PARAM, locale);
	return target.pathname + target.search + target.hash;
}

/**
 * In the browser, messages speak the language the server rendered the page in
 * (`<html lang>`). The server alone decides (cookie, Accept-Language, French), so hydration
 * cannot switch language, and the browser writes no cookie the user did not ask for.
 */
export function followDocumentLocale(document: Document): void {
	const locale = toLocale(document.documentElement.lang) ?? baseLocale;
	overwriteGetLocale(() => locale);
}
