/**
 * PAdES signature of a PDF (ETSI EN 319 142-1): a detached CAdES signature
 * (`ETSI.CAdES.detached`) over the whole file but its /Contents, baseline B, and B-T
 * when a time-stamp authority (RFC 3161) is configured.
 *
 * Libraries: @signpdf (placeholder and byte ranges), pkijs and asn1js (the CMS
 * SignedData with the signed attributes PAdES asks for: content-type, message-digest
 * and ESS signing-certificate-v2; no signing-time attribute, the time goes in the
 * signature dictionary's /M).
 */
import { createHash, webcrypto } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SigningError, type SigningIdentity } from './identity.ts';

export const OID = {
	data: '1.2.840.113549.1.7.1',
	signedData: '1.2.840.113549.1.7.2',
	contentType: '1.2.840.113549.1.9.3',
	messageDigest: '1.2.840.113549.1.9.4',
	signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
	signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
	tstInfo: '1.2.840.113549.1.9.16.1.4',
	sha256: '2.16.840.1.101.3.4.2.1'
} as const;

/** Room for the CMS in the PDF (hex doubles it): a chain of a few certificates and a time-stamp token. */
const SIGNATURE_LENGTH = 24_576;

export interface SignatureRequest {
	/** Who signs, as the signature dictionary shows it (e.g. "Dr Paul DURAND (RPPS 10001234567)"). */
	signerName: string;
	reason: string;
	location: string;
	contactInfo: string;
	/** An RFC 3161 time-stamp authority: the signature becomes PAdES B-T. */
	tsaUrl?: string;
	signingTime?: Date;
}

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
export const sha256 = (bytes: Uint8Array): ArrayBuffer => toArrayBuffer(createHash('sha256').update(bytes).digest());

/** ESS signing-certificate-v2 (RFC 5035) naming the signer's certificate by its SHA-256. */
function signingCertificateV2(certificate: Uint8Array): asn1js.Sequence {
	// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default hash (SHA-256).
	return new asn1js.Sequence({
		value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: sha256(certificate) })] })] })]
	});
}

/** Asks the time-stamp authority for a token over the signature value (RFC 3161, RFC 5816). */
async function timeStampToken(tsaUrl: string, signature: ArrayBuffer): Promise<asn1js.Sequence> {
	const request = new pkijs.TimeStampReq({
		version: 1,
		messageImprint: new pkijs.MessageImprint({
			hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
			hashedMessage: new asn1js.OctetString({ valueHex: sha256(new Uint8Array(signature)) })
		}),
		nonce: new asn1js.Integer({ valueHex: toArrayBuffer(webcrypto.getRandomValues(new Uint8Array(8))) }),
		certReq: true
	});
	let body: ArrayBuffer;
	try {
		const response = await fetch(tsaUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/timestamp-query' },
			body: request.toSchema().toBER(false),
			signal: AbortSignal.timeout(15_000)
		});
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		body = await response.arrayBuffer();
	} catch (error) {
		throw new SigningError('timestamp', 'L’autorité d’horodatage (SIGNING_TSA_URL) ne répond pas : aucune fiche n’a été signée. Réessayez plus tard.', { cause: error });
	}
	const answer = pkijs.TimeStampResp.fromBER(body);
	if (answer.status.status > 1 || !answer.timeStampToken) {
		throw new SigningError('timestamp', `L’autorité d’horodatage a refusé la demande (statut ${answer.status.status}) : aucune fiche n’a été signée.`);
	}
	return answer.timeStampToken.toSchema() as asn1js.Sequence;
}

/**
 * A CMS SignedData by `identity` over content whose SHA-256 is `digest`, with the signed
 * attributes PAdES and RFC 3161 ask for (content-type, message-digest, ESS
 * signing-certificate-v2). `eContent` is embedded when given (a time-stamp token's
 * TSTInfo); a PDF signature is detached.
 */
export async function signedData(
	identity: Pick<SigningIdentity, 'certificates' | 'privateKey'>,
	content: { type: string; digest: ArrayBuffer; embedded?: ArrayBuffer }
): Promise<pkijs.SignedData> {
	const [own, ...chain] = identity.certificates;
	const certificate = pkijs.Certificate.fromBER(toArrayBuffer(own));
	const data = new pkijs.SignedData({
		version: content.type === OID.data ? 1 : 3,
		encapContentInfo: new pkijs.EncapsulatedContentInfo({
			eContentType: content.type,
			...(content.embedded ? { eContent: new asn1js.OctetString({ valueHex: content.embedded }) } : {})
		}),
		signerInfos: [
			new pkijs.SignerInfo({
				version: 1,
				sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
				signedAttrs: new pkijs.SignedAndUnsignedAttributes({
					type: 0,
					attributes: [
						new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: content.type })] }),
						new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: content.digest })] }),
						new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(own)] })
					]
				})
			})
		],
		certificates: [certificate, ...chain.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der)))]
	});
	const key = await webcrypto.subtle.importKey('pkcs8', toArrayBuffer(identity.privateKey), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
	await data.sign(key as unknown as CryptoKey, 0, 'SHA-256');
	return data;
}

/** A SignedData as DER, wrapped in its ContentInfo. */
export const contentInfoDer = (data: pkijs.SignedData): ArrayBuffer =>
	new pkijs.ContentInfo({ contentType: OID.signedData, content: data.toSchema(true) }).toSchema().toBER(false);

/** The CMS signer @signpdf calls with the bytes to sign (the PDF without its /Contents). */
class CadesSigner extends Signer {
	readonly #identity: SigningIdentity;
	readonly #tsaUrl: string | undefined;
	constructor(identity: SigningIdentity, tsaUrl: string | undefined) {
		super();
		this.#identity = identity;
		this.#tsaUrl = tsaUrl;
	}

	override async sign(pdfBuffer: Buffer): Promise<Buffer> {
		const data = await signedData(this.#identity, { type: OID.data, digest: sha256(pdfBuffer) });
		if (this.#tsaUrl) {
			// B-T: a time-stamp over the signature value, as an unsigned attribute.
			const signerInfo = data.signerInfos[0];
			const token = await timeStampToken(this.#tsaUrl, signerInfo.signature.valueBlock.valueHexView.slice().buffer);
			signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
				type: 1,
				attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [token] })]
			});
		}
		return Buffer.from(contentInfoDer(data));
	}
}

/**
 * Signs `pdf` (a complete PDF without signature) for `identity`: returns the signed PDF.
 * The signature covers the whole file except its own /Contents.
 */
export async function signPdf(pdf: Uint8Array, identity: SigningIdentity, request: SignatureRequest): Promise<Uint8Array> {
	const withPlaceholder = plainAddPlaceholder({
		pdfBuffer: Buffer.from(pdf),
		reason: request.reason,
		contactInfo: request.contactInfo,
		name: request.signerName,
		location: request.location,
		signingTime: request.signingTime,
		signatureLength: SIGNATURE_LENGTH,
		subFilter: SUBFILTER_ETSI_CADES_DETACHED,
		appName: 'Concerto'
	});
	const signed = await new SignPdf().sign(withPlaceholder, new CadesSigner(identity, request.tsaUrl), request.signingTime);
	return new Uint8Array(signed);
}
