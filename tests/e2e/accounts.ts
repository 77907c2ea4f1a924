/** The administrator the setup project creates through onboarding. */
export const ADMIN = {
	givenName: 'Claire',
	familyName: 'Administratrice',
	email: 'admin@concerto.test',
	password: 'un mot de passe solide 2026'
};
