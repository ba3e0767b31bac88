import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { TiepdanError } from '../ports/errors.js';

/** A certificate (with its chain, if any) and its private key, both PEM, for HTTPS and WSS. */
export interface ConsoleTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

const invalid = (message: string, cause?: unknown) => new TiepdanError('invalid_option', `tls: ${message}`, cause !== undefined ? { cause } : undefined);

/**
 * Checks once, at start, that the pair can serve TLS: a PEM certificate, an unencrypted PEM key,
 * and the key the certificate's. The errors name the pair as `names` says (the files, from the CLI)
 * and never carry OpenSSL's stack.
 */
export function checkTls(tls: ConsoleTls, names: { readonly cert: string; readonly key: string } = { cert: 'the certificate', key: 'the key' }): X509Certificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(tls.cert);
  } catch (error) {
    throw invalid(`${names.cert} is not a PEM certificate (a "-----BEGIN CERTIFICATE-----" block)`, error);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(tls.key);
  } catch (error) {
    // OpenSSL 3 reports a key it was given no passphrase for as "interrupted or cancelled".
    const code = (error as NodeJS.ErrnoException).code;
    const encrypted = code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || /ENCRYPTED/.test(tls.key.toString().slice(0, 200));
    throw invalid(
      encrypted
        ? `${names.key} is encrypted; give the key without a passphrase (openssl pkey -in KEY -out KEY.plain), readable by this user only`
        : `${names.key} is not a PEM private key (a "-----BEGIN PRIVATE KEY-----" block)`,
      error,
    );
  }
  if (!certificate.checkPrivateKey(key)) throw invalid(`${names.key} is not the private key of ${names.cert}`);
  try {
    createSecureContext({ cert: tls.cert, key: tls.key });
  } catch (error) {
    throw invalid(`${names.cert} and ${names.key} cannot serve TLS (${(error as Error).message})`, error);
  }
  return certificate;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'unreadable');
    throw invalid(`cannot read the ${what} ${file} (${why})`, error);
  }
}

/**
 * `--tls-cert FILE --tls-key FILE`: read and checked, with warnings for what still works but
 * should not be left so (a key others can read, a certificate out of its dates).
 */
export function readTlsFiles(certFile: string, keyFile: string, nowMs: number = Date.now()): { readonly tls: ConsoleTls; readonly warnings: readonly string[] } {
  const tls = { cert: readPem(certFile, 'certificate file'), key: readPem(keyFile, 'key file') };
  const certificate = checkTls(tls, { cert: `the certificate file ${certFile}`, key: `the key file ${keyFile}` });
  const warnings: string[] = [];
  const mode = statSync(keyFile).mode & 0o777;
  if ((mode & 0o077) !== 0) warnings.push(`the key file ${keyFile} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 ${keyFile}`);
  if (Date.parse(certificate.validTo) < nowMs) warnings.push(`the certificate ${certFile} expired on ${certificate.validTo}; browsers will refuse it`);
  else if (Date.parse(certificate.validFrom) > nowMs) warnings.push(`the certificate ${certFile} is not valid before ${certificate.validFrom}; browsers will refuse it`);
  return { tls, warnings };
}
