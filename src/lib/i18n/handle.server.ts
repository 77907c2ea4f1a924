import { redirect, type Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { cookieMaxAge, cookieName, toLocale } from '$lib/paraglide/runtime';
import { LOCALE_PARAM } from './locales';

/**
 * The language of each request:
 * - `?lang=en` (the language switcher's links, which work without script) stores the choice
 *   in a cookie and redirects to the same URL without the parameter;
 * - otherwise Paraglide's middleware takes the cookie, else the browser's Accept-Language
 *   (when it asks for English or French), else French, and makes it the language of every
 *   message rendered for the request: pages, endpoints and `handleError` alike;
 * - `%lang%` in app.html becomes that language.
 */
export const localeHandle: Handle = ({ event, resolve }) => {
	const requested = event.url.searchParams.get(LOCALE_PARAM);
	if (requested !== null) {
		const locale = toLocale(requested);
		if (locale) {
			event.cookies.set(cookieName, locale, {
				path: '/',
				maxAge: cookieMaxAge,
				sameSite: 'lax',
				httpOnly: true,
				// A hospital may serve Concerto without TLS on its own network: the choice must stick there too.
				secure: event.url.protocol === 'https:'
			});
		}
		const target = new URL(event.url);
		target.searchParams.delete(LOCALE_PARAM);
		redirect(303, target.pathname + target.search);
	}

	// The middleware chooses from the URL and headers only. Given the real request it would
	// clone it, teeing (and buffering) the body of every upload; without the `url` strategy the
	// request it passes on is the same as event.request anyway.
	const withoutBody = new Request(event.request.url, { headers: event.request.headers });
	return paraglideMiddleware(withoutBody, ({ locale }) =>
		resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) })
	);
};
