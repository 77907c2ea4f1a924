/**
 * The organisation's signing identity: its certificate and private key, read from a
 * PKCS#12 file (node-forge), or, without one, a self-signed development certificate
 * generated once under DATA_DIR/signing (its password beside it, mode 0600).
 *
 * Only RSA keys are supported (the French health PKI, IGC-Santé, issues RSA organisation
 * certificates). A wrong password, a file without a key, or a certificate outside its
 * validity period stops signing with a `SigningError` in French.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { clock } from '../../clock.ts';

/** Why the fiches cannot be signed now; `message` is for the coordinator (French). */
export class SigningError extends Error {
	readonly reason: 'unreadable' | 'wrong-password' | 'no-key' | 'not-rsa' | 'expired' | 'not-yet-valid' | 'timestamp';
	constructor(reason: SigningError['reason'], message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'SigningError';
		this.reason = reason;
	}
}

export interface SigningIdentity {
	/** The signer's certificate (DER), then the rest of the chain found in the file. */
	certificates: Uint8Array[];
	/** PKCS#8 DER of the RSA private key. */
	privateKey: Uint8Array;
	/** Subject common name of the certificate (the organisation). */
	commonName: string;
	notBefore: Date;
	notAfter: Date;
	/** The self-signed certificate generated for development: the PDF says so. */
	development: boolean;
}

const DEVELOPMENT_FILE = 'development-certificate.p12';
const DEVELOPMENT_PASSWORD_FILE = 'development-certificate.password';

/** Reads a PKCS#12 file (certificate and RSA key) and checks that it is valid at `now`. */
export function readPkcs12(bytes: Uint8Array, password: string, now: Date = clock.now(), development = false): SigningIdentity {
	let p12: forge.pkcs12.Pkcs12Pfx;
	try {
		const asn1 = forge.asn1.fromDer(forge.util.binary.raw.encode(bytes));
		p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
	} catch (error) {
		const wrongPassword = error instanceof Error && /password|mac|decrypt/i.test(error.message);
		throw wrongPassword
			? new SigningError('wrong-password', 'Le mot de passe du certificat de signature (SIGNING_P12_PASSWORD) est incorrect : aucune fiche n’a été signée.', { cause: error })
			: new SigningError('unreadable', 'Le fichier du certificat de signature (SIGNING_P12_PATH) n’est pas un PKCS#12 lisible : aucune fiche n’a été signée.', { cause: error });
	}
	const keyBags = [
		...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
		...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? [])
	];
	const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
	const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
	if (!key) {
		const foreignKey = keyBags.length > 0 || certBags.some((bag) => !bag.cert);
		throw foreignKey
			? new SigningError('not-rsa', 'Le certificat de signature n’a pas de clé RSA : seules les clés RSA sont prises en charge.')
			: new SigningError('no-key', 'Le fichier du certificat de signature ne contient pas de clé privée : aucune fiche n’a été signée.');
	}
	const certificates = certBags.flatMap((bag) => (bag.cert ? [bag.cert] : []));
	// The signer's certificate is the one whose public key matches the private key.
	const modulus = key.n.toString(16);
	const own = certificates.find((cert) => (cert.publicKey as forge.pki.rsa.PublicKey).n?.toString(16) === modulus);
	if (!own) throw new SigningError('no-key', 'Aucun certificat du fichier ne correspond à sa clé privée : aucune fiche n’a été signée.');
	const der = (cert: forge.pki.Certificate) => new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
	const ownDer = der(own);
	const x509 = new X509Certificate(ownDer);
	const notBefore = new Date(x509.validFrom);
	const notAfter = new Date(x509.validTo);
	const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
	if (now > notAfter) throw new SigningError('expired', `Le certificat de signature a expiré le ${day.format(notAfter)} : aucune fiche n’a été signée. Installez un certificat valide.`);
	if (now < notBefore) throw new SigningError('not-yet-valid', `Le certificat de signature n’est valide qu’à partir du ${day.format(notBefore)} : aucune fiche n’a été signée.`);
	const privateKey = new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes(), 'binary'));
	const commonName = x509.subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3) ?? x509.subject;
	return {
		certificates: [ownDer, ...certificates.filter((cert) => cert !== own).map(der)],
		privateKey,
		commonName,
		notBefore,
		notAfter,
		development
	};
}

/** A self-signed certificate and its key as a PKCS#12 file (development, and tests). */
export function selfSignedPkcs12(options: { commonName: string; organisation: string; password: string; notBefore: Date; notAfter: Date }): Uint8Array {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
	cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
	cert.validity.notBefore = options.notBefore;
	cert.validity.notAfter = options.notAfter;
	// UTF8String, so that accents survive (forge encodes the value itself).
	const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
	const name = [
		{ name: 'commonName', ...utf8(options.commonName) },
		{ name: 'organizationName', ...utf8(options.organisation) },
		{ name: 'countryName', value: 'FR' }
	];
	cert.setSubject(name);
	cert.setIssuer(name);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: false },
		{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
		{ name: 'subjectKeyIdentifier' }
	]);
	cert.sign(key, forge.md.sha256.create());
	// No friendlyName: forge's BMPString encoding of non-Latin-1 names breaks the file's MAC.
	const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], options.password, { algorithm: '3des' });
	return new Uint8Array(Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
}

/**
 * The identity that signs now: the configured PKCS#12, or the development certificate
 * (generated on first use, valid ten years).
 */
export function loadSigningIdentity(config: { p12: { path: string; password: string } | undefined; developmentDir: string }, now: Date = clock.now()): SigningIdentity {
	if (config.p12) {
		let bytes: Uint8Array;
		try {
			bytes = readFileSync(config.p12.path);
		} catch (error) {
			throw new SigningError('unreadable', `Le fichier du certificat de signature (SIGNING_P12_PATH) est introuvable ou illisible : aucune fiche n’a été signée.`, { cause: error });
		}
		return readPkcs12(bytes, config.p12.password, now);
	}
	const file = join(config.developmentDir, DEVELOPMENT_FILE);
	const passwordFile = join(config.developmentDir, DEVELOPMENT_PASSWORD_FILE);
	if (!existsSync(file)) {
		mkdirSync(config.developmentDir, { recursive: true });
		const password = randomBytes(24).toString('base64url');
		const start = new Date(now.getTime() - 86_400_000);
		const bytes = selfSignedPkcs12({
			commonName: 'Concerto - certificat de développement (non valable en production)',
			organisation: 'Concerto (développement)',
			password,
			notBefore: start,
			notAfter: new Date(start.getTime() + 10 * 365 * 86_400_000)
		});
		writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
		writeFileSync(file, bytes, { mode: 0o600 });
	}
	return readPkcs12(readFileSync(file), readFileSync(passwordFile, 'utf8').trim(), now, true);
}
