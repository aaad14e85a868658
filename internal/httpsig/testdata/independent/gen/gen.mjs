// gen.mjs writes the independent HTTP message signature test vectors in ../
// (one <case>.json per case) and checks every vector there.
//
//   cd gen && npm ci && node gen.mjs          # regenerate, then check all
//   node gen.mjs --check                      # only check ../*.json
//
// Tests never run this; Go tests only read the JSON. Nothing here comes from
// this project's own httpsig package: v15 (RFC 9421 format) signatures are
// made by two npm implementations of HTTP message signatures,
//   - http-message-signatures (dhensby), and
//   - http-message-sig (cloudflare/web-bot-auth),
// and every v15 vector is verified by BOTH of them. The v6 format has no
// library, so its signature base is built here by hand, following Upvest's
// own reference code (cited at v6Base below), and signed with node:crypto.
//
// The upvest-*.json vectors beside the generated ones were produced once by
// running Upvest's own reference code; this script does not write them, but
// --check (and every run) verifies them with the same checks.
//
// ECDSA P-521 signatures are randomised; to keep re-runs byte-identical,
// signatures are cached in signature-cache.json (keyed by key and base) and
// reused when they still verify. Keys live in keys/*.json as private JWKs
// (throwaway test keys) and are created on the first run only.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import hms from 'http-message-signatures';
import { createSignature, verifySignature, isSignatureError } from 'http-message-sig';
import { parseDictionary, serializeInnerList, isInnerList } from 'structured-headers';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '..');
const version = (name) => JSON.parse(readFileSync(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version;

const DHENSBY = `http-message-signatures@${version('http-message-signatures')} (npm)`;
const CLOUDFLARE = `http-message-sig@${version('http-message-sig')} (npm)`;
const V6_GEN = 'node:crypto, v6 base per upvestco/httpsignature-proxy@601eb9a service/signer/material/material.go and upvestco/http-signature-examples Go/main.go';

// ---------------------------------------------------------------- time

const CREATED = 1767323045; // 2026-01-02T03:04:05Z
const NOW = CREATED + 5;
const MAX_AGE = 300; // the max age both libraries are given when checking
const YEAR = 365 * 24 * 3600;

// ---------------------------------------------------------------- keys

const KEYS_DIR = path.join(HERE, 'keys');

function loadKey(file, kid, type) {
  const p = path.join(KEYS_DIR, file);
  let jwk;
  if (existsSync(p)) {
    jwk = JSON.parse(readFileSync(p, 'utf8'));
  } else {
    mkdirSync(KEYS_DIR, { recursive: true });
    const { privateKey } = type === 'p521'
      ? generateKeyPairSync('ec', { namedCurve: 'P-521' })
      : generateKeyPairSync('ed25519');
    jwk = { kid, ...privateKey.export({ format: 'jwk' }) };
    writeFileSync(p, JSON.stringify(jwk, null, 2) + '\n');
  }
  if (jwk.kid !== kid) throw new Error(`${file}: kid ${jwk.kid}, want ${kid}`);
  const { kid: _, ...raw } = jwk;
  const privateKey = createPrivateKey({ key: raw, format: 'jwk' });
  const pub = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicJwk = pub.kty === 'EC'
    ? { kid, kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y }
    : { kid, kty: pub.kty, crv: pub.crv, x: pub.x };
  return { kid, type, privateKey, publicJwk };
}

// The webhook key the verifier knows (Upvest's JWKS), and an Ed25519 one.
const KEY1 = loadKey('upvest-webhook-key-1.json', 'upvest-webhook-key-1', 'p521');
const KEY_ED = loadKey('upvest-webhook-ed25519-1.json', 'upvest-webhook-ed25519-1', 'ed25519');
// Same kid as KEY1, different key material.
const IMPOSTOR = loadKey('impostor-p521.json', 'upvest-webhook-key-1', 'p521');
// Keys whose kids the verifier does not know.
const UNKNOWN_A = loadKey('unknown-p521-a.json', 'upvest-webhook-key-2', 'p521');
const UNKNOWN_B = loadKey('unknown-p521-b.json', 'partner-proxy-key-1', 'p521');
const JWKS = [KEY1.publicJwk, KEY_ED.publicJwk];

// RFC 9421 Appendix B.1.4 test-key-ed25519 and B.1.3 test-key-ecc-p256,
// public halves, copied from the RFC's JWK forms.
const RFC_ED25519 = { kid: 'test-key-ed25519', kty: 'OKP', crv: 'Ed25519', x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs' };
const RFC_P256 = {
  kid: 'test-key-ecc-p256', kty: 'EC', crv: 'P-256',
  x: 'qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA',
  y: 'Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0',
};

// ---------------------------------------------------------------- signing

const CACHE_FILE = path.join(HERE, 'signature-cache.json');
const oldCache = existsSync(CACHE_FILE) ? JSON.parse(readFileSync(CACHE_FILE, 'utf8')) : {};
const newCache = {};

const sha256hex = (s) => createHash('sha256').update(s).digest('hex');
const b64 = (buf) => Buffer.from(buf).toString('base64');

// signRaw signs a signature base the way Upvest does: ECDSA P-521 over
// SHA-512 with an ASN.1 DER signature, or plain Ed25519.
function signRaw(key, data) {
  data = Buffer.from(data);
  if (key.type === 'ed25519') return cryptoSign(null, data, key.privateKey);
  const id = sha256hex(`${key.publicJwk.x}.${key.publicJwk.y}\n${data.toString('utf8')}`);
  if (newCache[id]) return Buffer.from(newCache[id], 'base64');
  if (oldCache[id]) {
    const sig = Buffer.from(oldCache[id], 'base64');
    if (cryptoVerify('sha512', data, { key: createPublicKey(key.privateKey), dsaEncoding: 'der' }, sig)) {
      newCache[id] = oldCache[id];
      return sig;
    }
  }
  const sig = cryptoSign('sha512', data, { key: key.privateKey, dsaEncoding: 'der' });
  newCache[id] = b64(sig);
  return sig;
}

const keyAlg = (key) => (key.type === 'ed25519' ? 'ed25519' : 'ecdsa-p521-sha512');

// What a verifier does with a JWK it knows.
function jwkAlg(jwk) {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'ed25519';
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ecdsa-p521-sha512';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ecdsa-p256-sha256';
  throw new Error(`unsupported JWK ${jwk.kty} ${jwk.crv}`);
}

function jwkVerify(jwk, data, sig) {
  const { kid: _, ...raw } = jwk;
  const key = createPublicKey({ key: raw, format: 'jwk' });
  data = Buffer.from(data);
  sig = Buffer.from(sig);
  switch (jwkAlg(jwk)) {
    case 'ed25519': return cryptoVerify(null, data, key, sig);
    // Upvest: DER, as Go's ecdsa.SignASN1, Java's SHA512withECDSA, node's default.
    case 'ecdsa-p521-sha512': return cryptoVerify('sha512', data, { key, dsaEncoding: 'der' }, sig);
    // RFC 9421 section 3.3.4: the 64-byte r||s form.
    case 'ecdsa-p256-sha256': return cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  }
  return false;
}

// ---------------------------------------------------------------- requests

function headersObject(pairs) {
  const out = {};
  for (const [name, value] of pairs) {
    const existing = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing === undefined) out[name] = value;
    else out[existing] = [].concat(out[existing], value);
  }
  return out;
}

function headerValues(req, name) {
  return req.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim());
}

const descriptor = (req) => ({
  kind: 'request',
  method: req.method,
  targetUri: req.url,
  fields: req.headers.map(([name, value]) => ({ name, value })),
});

const contentDigest512 = (body) => `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;
const contentDigest256 = (body) => `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
const digestV6 = (body) => `SHA-256=${createHash('sha256').update(body).digest('base64')}`;

const WEBHOOK_URL = 'https://webhooks.example.com/upvest/events?source=upvest';
const WEBHOOK_URL_NO_QUERY = 'https://webhooks.example.com/upvest/events';

// An account group webhook delivery in Upvest's shape: a batch of events.
function webhookBody({ securities = '123456789' } = {}) {
  return JSON.stringify({
    payload: [{
      id: '0d2b7d52-5a3c-4b8e-9f1a-6c7e8d9f0a1b',
      created_at: '2026-01-02T03:04:00Z',
      type: 'ACCOUNT_GROUP.CREATED',
      object: {
        id: '9d95820d-4333-46b6-98de-04ab7512e76f',
        created_at: '2026-01-02T03:04:00Z',
        updated_at: '2026-01-02T03:04:00Z',
        type: 'PERSONAL',
        status: 'PENDING_APPROVAL',
        users: [{ id: '413715f2-5401-4b97-8055-034a6b879f8c', type: 'OWNER' }],
        securities_account_number: securities,
      },
      webhook_id: 'c5f1b6e2-7a4d-4f0e-8b3c-2d1e0f9a8b7c',
    }],
  });
}
const TAMPERED_SECURITIES = '987654321'; // same length: content-length stays right

// webhookRequest is the request before it is signed: headers in the order
// a Go HTTP client sends them (user-agent and accept-encoding are never
// covered: Upvest excludes them).
function webhookRequest({ url = WEBHOOK_URL, body = webhookBody(), digest = 'sha-512' } = {}) {
  const digestHeader = {
    'sha-512': ['Content-Digest', contentDigest512(body)],
    'sha-256': ['Content-Digest', contentDigest256(body)],
    v6: ['Digest', digestV6(body)],
  }[digest];
  return {
    method: 'POST',
    url,
    headers: [
      ['Content-Type', 'application/json'],
      ['Content-Length', String(Buffer.byteLength(body))],
      digestHeader,
      ['User-Agent', 'Go-http-client/1.1'],
      ['Accept-Encoding', 'gzip'],
    ],
    body,
  };
}

const withHeaders = (req, ...pairs) => ({ ...req, headers: [...req.headers, ...pairs] });

const hasQuery = (url) => new URL(url).search !== '';
const webhookComponents = (url, digestName = 'content-digest') =>
  ['@method', '@path', ...(hasQuery(url) ? ['@query'] : []), 'content-type', 'content-length', digestName];

// signDhensby signs req with http-message-signatures; params is the order
// of the signature parameters, paramValues their values.
async function signDhensby(req, { key, label = 'sig1', fields, params, paramValues = {} }) {
  let base;
  const message = { method: req.method, url: req.url, headers: headersObject(req.headers) };
  const signed = await hms.httpbis.signMessage({
    key: { id: key.kid, sign: async (data) => { base = data.toString('utf8'); return signRaw(key, data); } },
    name: label,
    fields,
    params,
    paramValues,
  }, message);
  const get = (n) => Object.entries(signed.headers).find(([k]) => k.toLowerCase() === n)[1];
  return { signatureInput: get('signature-input'), signature: get('signature'), base };
}

// signCloudflare signs req with http-message-sig; the parameters keep the
// insertion order of the object given.
async function signCloudflare(req, { key, label = 'sig1', components, parameters, algorithm = keyAlg(key) }) {
  let base;
  const fields = await createSignature(descriptor(req), {
    label,
    components,
    parameters,
    signer: { algorithm, sign: (data) => { base = Buffer.from(data).toString('utf8'); return new Uint8Array(signRaw(key, data)); } },
  });
  return { signatureInput: fields.signatureInput, signature: fields.signature, base };
}

const signed = (req, s) => withHeaders(req, ['Signature-Input', s.signatureInput], ['Signature', s.signature]);

// ---------------------------------------------------------------- v6

// v6Base builds the signature base of Upvest's v6 format. It follows
//   upvestco/httpsignature-proxy at 601eb9a (the last v6 release, v1.3.8),
//   service/signer/material/http.go   Format: fmt.Sprintf("%s: %s", k, v)
//   service/signer/material/material.go CompleteWithSourceBody / GetBody:
//     one "name: value" line per component joined by "\n", then
//     "@signature-params: " + the signature-input member (inner list with
//     quoted names, then the parameters), no trailing newline;
// and upvestco/http-signature-examples Go/main.go signaturePayload, which
// builds the same lines. Names are NOT quoted (Upvest documents this as a
// kept-for-compatibility deviation from draft 06). Values: @method upper
// case, @path the URL path, @query "?" + raw query, headers trimmed.
function v6Base(req, components, signatureParams) {
  const u = new URL(req.url);
  const value = (name) => {
    switch (name) {
      case '@method': return req.method.toUpperCase();
      case '@path': return u.pathname || '/';
      case '@query': return u.search;
    }
    const vs = headerValues(req, name);
    if (vs.length === 0) throw new Error(`v6: no ${name} header`);
    return vs.join(', ');
  };
  return [...components.map((c) => `${c}: ${value(c)}`), `@signature-params: ${signatureParams}`].join('\n');
}

// v6Params renders the signature-input member the way Upvest's signers do:
// quoted component names in parentheses, then ;name=value with strings
// quoted and integers bare, in the order given.
function v6Params(components, params) {
  const list = `(${components.map((c) => `"${c}"`).join(' ')})`;
  return list + params.map(([k, v]) => (typeof v === 'number' ? `;${k}=${v}` : `;${k}="${v}"`)).join('');
}

function signV6(req, { key, label = 'sig1', components, params }) {
  const signatureParams = v6Params(components, params);
  const base = v6Base(req, components, signatureParams);
  const sig = signRaw(key, Buffer.from(base));
  return { signatureInput: `${label}=${signatureParams}`, signature: `${label}=:${b64(sig)}:`, base };
}

// ---------------------------------------------------------------- checking

function mapDhensbyError(e) {
  if (e instanceof hms.ExpiredError) return 'expired';
  if (e instanceof hms.UnsupportedAlgorithmError) return 'alg_mismatch';
  if (e instanceof hms.UnknownKeyError) return 'unknown_key';
  if (e instanceof hms.UnacceptableSignatureError) return 'not_covered';
  return 'malformed';
}

async function verifyWithDhensby(c, requiredFields) {
  const message = { method: c.request.method, url: c.request.url, headers: headersObject(c.request.headers) };
  const realNow = Date.now;
  Date.now = () => c.now * 1000;
  try {
    const r = await hms.httpbis.verifyMessage({
      keyLookup: async (params) => {
        const jwk = c.keys.find((k) => k.kid === params.keyid);
        if (!jwk) return null;
        return { id: jwk.kid, algs: [jwkAlg(jwk)], verify: async (data, sig) => jwkVerify(jwk, data, sig) };
      },
      maxAge: MAX_AGE,
      requiredFields,
    }, message);
    if (r === true) return '';
    if (r === false) return 'bad_signature';
    return 'unknown_key';
  } catch (e) {
    return mapDhensbyError(e);
  } finally {
    Date.now = realNow;
  }
}

function mapCloudflareError(e) {
  if (!isSignatureError(e)) return 'malformed';
  switch (e.code) {
    case 'ResolverFailed': return 'unknown_key';
    case 'AlgorithmMismatch': return 'alg_mismatch';
    case 'VerificationFailed': return 'bad_signature';
    case 'PolicyViolation':
      if (/expired|too old|future/.test(e.message)) return 'expired';
      if (/Required component/.test(e.message)) return 'not_covered';
      if (/Algorithm/.test(e.message)) return 'alg_mismatch';
      return 'malformed';
  }
  return 'malformed';
}

async function verifyWithCloudflare(c, requiredFields) {
  let labels;
  try {
    labels = [...parseDictionary(headerValues(c.request, 'signature-input').join(', ')).keys()];
  } catch {
    return 'malformed';
  }
  const reasons = [];
  for (const label of labels) {
    try {
      await verifySignature(descriptor(c.request), {
        label,
        policy: {
          algorithms: ['ecdsa-p521-sha512', 'ed25519', 'ecdsa-p256-sha256'],
          requiredComponents: requiredFields,
          requiredParameters: [],
          maxAge: MAX_AGE,
          now: c.now,
        },
        resolveVerifier(candidate) {
          const jwk = c.keys.find((k) => k.kid === candidate.parameters.keyid);
          if (!jwk) throw new Error(`unknown key ${candidate.parameters.keyid}`);
          return { algorithm: jwkAlg(jwk), verify: (data, sig) => jwkVerify(jwk, data, sig) };
        },
      });
      return '';
    } catch (e) {
      reasons.push(mapCloudflareError(e));
    }
  }
  return reasons.find((r) => r !== 'unknown_key') ?? 'unknown_key';
}

// checkDigest compares the body with its digest header (neither library
// checks content digests).
function checkDigest(c) {
  const req = c.request;
  if (c.format === 6) {
    const v = headerValues(req, 'digest');
    return v.length === 1 && v[0] === digestV6(req.body) ? '' : 'digest';
  }
  const v = headerValues(req, 'content-digest');
  if (v.length === 0) return req.body === '' ? '' : 'digest';
  let dict;
  try { dict = parseDictionary(v.join(', ')); } catch { return 'digest'; }
  let checked = 0;
  for (const [alg, [bytes]] of dict) {
    const hash = { 'sha-512': 'sha512', 'sha-256': 'sha256' }[alg];
    if (!hash) continue;
    checked++;
    const want = createHash(hash).update(req.body).digest('base64');
    if (!(bytes instanceof ArrayBuffer) || Buffer.from(bytes).toString('base64') !== want) return 'digest';
  }
  return checked > 0 ? '' : 'digest';
}

// verifyV6 checks a v6 vector: it parses signature-input, rebuilds the
// unquoted base from the request and verifies with node:crypto.
function verifyV6(c, requiredFields) {
  let inputs, sigs;
  try {
    inputs = parseDictionary(headerValues(c.request, 'signature-input').join(', '));
    sigs = parseDictionary(headerValues(c.request, 'signature').join(', '));
  } catch {
    return 'malformed';
  }
  const reasons = [];
  for (const [label, member] of inputs) {
    if (!isInnerList(member)) { reasons.push('malformed'); continue; }
    const [items, params] = member;
    const jwk = c.keys.find((k) => k.kid === params.get('keyid'));
    if (!jwk) { reasons.push('unknown_key'); continue; }
    if (params.has('alg') && params.get('alg') !== jwkAlg(jwk)) { reasons.push('alg_mismatch'); continue; }
    const created = params.get('created');
    const expires = params.get('expires');
    if ((created !== undefined && (created > c.now || c.now - created > MAX_AGE)) || (expires !== undefined && c.now > expires)) {
      reasons.push('expired'); continue;
    }
    const components = items.map(([name]) => name);
    if (!requiredFields.every((f) => components.includes(f))) { reasons.push('not_covered'); continue; }
    const sig = sigs.get(label);
    if (!sig || !(sig[0] instanceof ArrayBuffer)) { reasons.push('malformed'); continue; }
    let base;
    try { base = v6Base(c.request, components, serializeInnerList(member)); } catch { reasons.push('malformed'); continue; }
    if (jwkVerify(jwk, Buffer.from(base), Buffer.from(sig[0]))) return '';
    reasons.push('bad_signature');
  }
  return reasons.find((r) => r !== 'unknown_key') ?? 'unknown_key';
}

const isRfc = (c) => c.name.startsWith('rfc9421');

function requiredFieldsFor(c) {
  if (isRfc(c)) return [];
  return ['@method', '@path', c.format === 6 ? 'digest' : 'content-digest'];
}

// check returns what the independent implementations say of a vector.
async function check(c) {
  const required = requiredFieldsFor(c);
  const digest = isRfc(c) && !headerValues(c.request, 'content-digest').length ? '' : checkDigest(c);
  if (c.format === 6) {
    return { v6: digest || verifyV6(c, required) };
  }
  return {
    'http-message-signatures': digest || await verifyWithDhensby(c, required),
    'http-message-sig': digest || await verifyWithCloudflare(c, required),
  };
}

async function assertExpected(c) {
  const got = await check(c);
  for (const [who, reason] of Object.entries(got)) {
    const verdict = reason === '' ? 'valid' : 'invalid';
    if (verdict !== c.expect || reason !== c.reason) {
      throw new Error(`${c.name}: ${who} says ${verdict}${reason ? ` (${reason})` : ''}, vector says ${c.expect}${c.reason ? ` (${c.reason})` : ''}`);
    }
  }
  if (c.signature_base !== undefined) {
    // The base must be what one of the signatures was made over, by one of
    // the keys named in signature-input (the known ones or this file's own).
    const inputs = parseDictionary(headerValues(c.request, 'signature-input').join(', '));
    const sigs = parseDictionary(headerValues(c.request, 'signature').join(', '));
    const kids = [...inputs.values()].map(([, params]) => params.get('keyid'));
    const candidates = [...c.keys, ...ALL_SIGNING_JWKS].filter((k) => kids.includes(k.kid));
    const ok = [...sigs.values()].some(([bytes]) => bytes instanceof ArrayBuffer &&
      candidates.some((k) => jwkVerify(k, Buffer.from(c.signature_base), Buffer.from(bytes))));
    if (!ok) throw new Error(`${c.name}: no signature verifies over signature_base`);
  }
  return got;
}
const ALL_SIGNING_JWKS = [KEY1, KEY_ED, IMPOSTOR, UNKNOWN_A, UNKNOWN_B].map((k) => k.publicJwk);

// ---------------------------------------------------------------- cases

const vector = ({ name, description, generator, format = 15, now = NOW, keys = JWKS, request, expect = 'valid', reason = '', base }) => ({
  name, description, generator, format, now, keys, request, expect, reason,
  ...(base !== undefined ? { signature_base: base } : {}),
});

const UUID_NONCE = '5b0c7a6e-1f2d-4c3b-9a8e-7d6f5e4c3b2a';
const JAVA_NONCE = 'q7Rk2xVb9LmP4sTz'; // 16 of [a-zA-Z0-9], as SigningUtility.generateNonce
const PROXY_NONCE = '4830275169'; // 10 digits, as randx.MustString(10, randx.Numeric)
const GO_NONCE = 'o085M4cMgpbicuOL'; // 16 of [a-zA-Z0-9], as Go/main.go generateNonce (this one is from Upvest's v6 docs)
const at = (unix) => new Date(unix * 1000);

// Each p521 webhook vector signs webhookRequest() with KEY1 unless it says otherwise.
async function dhensbyWebhook({ req = webhookRequest(), key = KEY1, params, paramValues, fields = webhookComponents(req.url), label }) {
  const s = await signDhensby(req, { key, label, fields, params, paramValues: { keyid: key.kid, ...paramValues } });
  return { req: signed(req, s), base: s.base, s };
}

const CASES = [
  async () => {
    const { req, base } = await dhensbyWebhook({ params: ['created', 'keyid'], paramValues: { created: at(CREATED) } });
    return vector({
      name: 'v15-p521-rfc-order', generator: DHENSBY, request: req, base,
      description: 'Webhook delivery signed with P-521/SHA-512 (DER), parameters created;keyid in the order RFC 9421 Appendix B uses, no expires or nonce.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['keyid', 'created', 'expires', 'nonce'],
      paramValues: { created: at(CREATED), expires: at(CREATED + 10), nonce: UUID_NONCE },
    });
    return vector({
      name: 'v15-p521-upvest-js-order', generator: DHENSBY, request: req, base,
      description: 'Parameters keyid;created;expires;nonce, the order of Upvest\'s JavaScript reference signer (Javascript/Signature.mjs getSignatureParams) and of its v6 Go example and docs.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['keyid', 'created', 'nonce', 'expires'],
      paramValues: { created: at(CREATED), nonce: JAVA_NONCE, expires: at(CREATED + 60) },
    });
    return vector({
      name: 'v15-p521-upvest-java-order', generator: DHENSBY, request: req, base,
      description: 'Parameters keyid;created;nonce;expires (expires = created + 60 s), the order of Upvest\'s Java example (SigningUtility.createSignatureParametersString) and of its httpsignature-proxy.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['keyid', 'nonce', 'created', 'expires'],
      paramValues: { nonce: UUID_NONCE, created: at(CREATED), expires: at(CREATED + 10) },
    });
    return vector({
      name: 'v15-p521-upvest-python-order', generator: DHENSBY, request: req, base,
      description: 'Parameters keyid;nonce;created;expires (expires = created + 10 s), the order of Upvest\'s Python package (http_message_signatures.py HttpMessageSigner.sign_request).',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['keyid', 'created', 'nonce'],
      paramValues: { created: at(CREATED), nonce: GO_NONCE },
    });
    return vector({
      name: 'v15-p521-upvest-go-order', generator: DHENSBY, request: req, base,
      description: 'Parameters keyid;created;nonce with no expires, what Upvest\'s Go example (Go/main.go prepareSignatureInput) emits when the request has no Expires header; valid while created is recent.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['alg', 'keyid', 'created', 'expires', 'nonce'],
      paramValues: { alg: 'ecdsa-p521-sha512', created: at(CREATED), expires: at(CREATED + 10), nonce: UUID_NONCE },
    });
    return vector({
      name: 'v15-p521-alg', generator: DHENSBY, request: req, base,
      description: 'An alg="ecdsa-p521-sha512" parameter (placed first, as Upvest\'s JavaScript signer places alg) that matches the P-521 key.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['alg', 'keyid', 'created', 'expires', 'nonce'],
      paramValues: { alg: 'ed25519', created: at(CREATED), expires: at(CREATED + 10), nonce: UUID_NONCE },
    });
    return vector({
      name: 'v15-p521-alg-mismatch', generator: DHENSBY, request: req, base, expect: 'invalid', reason: 'alg_mismatch',
      description: 'Signed correctly by the P-521 key but claims alg="ed25519": the claimed algorithm does not match the key, so it must be refused even though the ECDSA signature itself verifies.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      params: ['keyid', 'created', 'expires', 'nonce', 'tag'],
      paramValues: { created: at(CREATED), expires: at(CREATED + 10), nonce: UUID_NONCE, tag: 'upvest-webhook' },
    });
    return vector({
      name: 'v15-p521-tag', generator: DHENSBY, request: req, base,
      description: 'A tag="upvest-webhook" parameter after the others (where Upvest\'s Python signer puts tag); unknown-to-Upvest parameters are part of @signature-params and must be kept verbatim.',
    });
  },
  async () => {
    const req0 = webhookRequest();
    const s = await signCloudflare(req0, {
      key: KEY1,
      components: ['content-digest', 'content-length', 'content-type', '@method', '@path', '@query'],
      parameters: { keyid: KEY1.kid, created: CREATED, expires: CREATED + 10 },
    });
    return vector({
      name: 'v15-p521-digest-first', generator: CLOUDFLARE, request: signed(req0, s), base: s.base,
      description: 'Covered components in a non-default order (content-digest first, derived components last): the base must follow the order of the signature-input list.',
    });
  },
  async () => {
    const req0 = webhookRequest();
    const fields = webhookComponents(req0.url);
    const s1 = await signDhensby(req0, { key: UNKNOWN_A, label: 'sig1', fields, params: ['keyid', 'created', 'expires'], paramValues: { keyid: UNKNOWN_A.kid, created: at(CREATED), expires: at(CREATED + 10) } });
    const withFirst = signed(req0, s1);
    const s2 = await signDhensby(withFirst, { key: KEY1, label: 'sig2', fields, params: ['keyid', 'created', 'expires'], paramValues: { keyid: KEY1.kid, created: at(CREATED), expires: at(CREATED + 10) } });
    if (!/^sig1=.*, sig2=/.test(s2.signatureInput)) throw new Error('two-signature header not merged');
    return vector({
      name: 'v15-two-signatures-one-known', generator: DHENSBY, request: signed(req0, s2), base: s2.base,
      description: 'Two signatures in one signature-input/signature pair: sig1 by a key the verifier does not know (upvest-webhook-key-2), sig2 by the known key; valid because sig2 verifies (signature_base is sig2\'s).',
    });
  },
  async () => {
    const req0 = webhookRequest();
    const fields = webhookComponents(req0.url);
    const s1 = await signDhensby(req0, { key: UNKNOWN_A, label: 'sig1', fields, params: ['keyid', 'created', 'expires'], paramValues: { keyid: UNKNOWN_A.kid, created: at(CREATED), expires: at(CREATED + 10) } });
    const s2 = await signDhensby(signed(req0, s1), { key: UNKNOWN_B, label: 'sig2', fields, params: ['keyid', 'created', 'expires'], paramValues: { keyid: UNKNOWN_B.kid, created: at(CREATED), expires: at(CREATED + 10) } });
    return vector({
      name: 'v15-two-signatures-none-known', generator: DHENSBY, request: signed(req0, s2), expect: 'invalid', reason: 'unknown_key',
      description: 'Two good signatures, both by keys whose kids are not in the verifier\'s JWKS (upvest-webhook-key-2, partner-proxy-key-1): nothing can be verified.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({
      req: webhookRequest({ digest: 'sha-256' }),
      params: ['keyid', 'created', 'expires'],
      paramValues: { created: at(CREATED), expires: at(CREATED + 10) },
    });
    return vector({
      name: 'v15-p521-content-digest-sha256', generator: DHENSBY, request: req, base,
      description: 'content-digest with sha-256 instead of sha-512 (both are registered RFC 9530 algorithms).',
    });
  },
  async () => {
    const req0 = webhookRequest();
    const s = await signCloudflare(req0, {
      key: KEY_ED,
      components: webhookComponents(req0.url),
      parameters: { keyid: KEY_ED.kid, created: CREATED, expires: CREATED + 10, nonce: UUID_NONCE },
    });
    return vector({
      name: 'v15-ed25519', generator: CLOUDFLARE, request: signed(req0, s), base: s.base,
      description: 'Signed with an Ed25519 key (kid upvest-webhook-ed25519-1, an OKP JWK in the JWKS) instead of P-521.',
    });
  },
  async () => {
    const req0 = withHeaders(webhookRequest(), ['Host', new URL(WEBHOOK_URL).host]);
    const { req, base } = await dhensbyWebhook({
      req: req0, fields: ['@method', '@path', '@query', 'host', 'content-type', 'content-length', 'content-digest'],
      params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) },
    });
    return vector({
      name: 'v15-p521-host-covered', generator: DHENSBY, request: req, base,
      description: 'Covers the host header too, as a signer that signs every header it sends does (Upvest excludes no host). A Go server keeps Host in Request.Host, not in Header.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ req: webhookRequest({ url: WEBHOOK_URL_NO_QUERY }), params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) } });
    return vector({
      name: 'v15-p521-no-query', generator: DHENSBY, request: req, base,
      description: 'URL without a query, so "@query" is not covered.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) } });
    return vector({
      name: 'v15-tampered-body', generator: `${DHENSBY}, then the body was changed`, request: { ...req, body: webhookBody({ securities: TAMPERED_SECURITIES }) }, base,
      expect: 'invalid', reason: 'digest',
      description: 'Body changed after signing (securities_account_number, same length) while content-digest still describes the original body.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) } });
    const body = webhookBody({ securities: TAMPERED_SECURITIES });
    const headers = req.headers.map(([n, v]) => (n.toLowerCase() === 'content-digest' ? [n, contentDigest512(body)] : [n, v]));
    return vector({
      name: 'v15-tampered-body-redigested', generator: `${DHENSBY}, then the body and content-digest were changed`, request: { ...req, headers, body }, base,
      expect: 'invalid', reason: 'bad_signature',
      description: 'Body changed and content-digest recomputed to match it, but the signature is the original one: the digest checks out, the signature does not.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ key: IMPOSTOR, params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) } });
    return vector({
      name: 'v15-known-kid-wrong-key', generator: DHENSBY, request: req, base, expect: 'invalid', reason: 'bad_signature',
      description: 'Signed by a different P-521 key that claims the known kid upvest-webhook-key-1.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ key: UNKNOWN_A, params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) } });
    return vector({
      name: 'v15-unknown-kid', generator: DHENSBY, request: req, base, expect: 'invalid', reason: 'unknown_key',
      description: 'Signed by a key whose kid (upvest-webhook-key-2) is not in the verifier\'s JWKS.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ params: ['keyid', 'created', 'expires'], paramValues: { created: at(NOW - 70), expires: at(NOW - 60) } });
    return vector({
      name: 'v15-expired', generator: DHENSBY, request: req, base, expect: 'invalid', reason: 'expired',
      description: 'expires is 60 s before "now" (created 70 s before, well within any max age).',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ params: ['keyid', 'created', 'expires'], paramValues: { created: at(NOW - YEAR), expires: at(NOW + YEAR) } });
    return vector({
      name: 'v15-created-a-year-ago', generator: DHENSBY, request: req, base, expect: 'invalid', reason: 'expired',
      description: 'created a year before "now" with expires a year after it: a signer-chosen expires must not extend a verifier\'s max age (checked with a max age of 300 s).',
    });
  },
  async () => {
    const req0 = webhookRequest();
    const { req, base } = await dhensbyWebhook({
      req: req0,
      fields: ['@method', '@path', '@query', 'content-type', 'content-length'],
      params: ['keyid', 'created', 'expires'],
      paramValues: { created: at(CREATED), expires: at(CREATED + 10) },
    });
    return vector({
      name: 'v15-body-not-covered', generator: DHENSBY, request: req, base, expect: 'invalid', reason: 'not_covered',
      description: 'A correct content-digest header is sent but not covered by the signature, so the body is not authenticated; a webhook verifier must require content-digest to be covered.',
    });
  },
  async () => {
    const { req, base } = await dhensbyWebhook({ params: ['keyid', 'created', 'expires'], paramValues: { created: at(CREATED), expires: at(CREATED + 10) } });
    const headers = req.headers.map(([n, v]) => (n.toLowerCase() === 'signature' ? [n, v.replace(/^sig1=/, 'sig2=')] : [n, v]));
    return vector({
      name: 'v15-label-mismatch', generator: `${DHENSBY}, then the signature label was renamed`, request: { ...req, headers }, base,
      expect: 'invalid', reason: 'malformed',
      description: 'signature-input has label sig1 but signature has only sig2, so there is no signature for the input.',
    });
  },

  // ------------------------------------------------------------ v6
  async () => {
    const req0 = webhookRequest({ digest: 'v6' });
    const components = ['@method', '@path', '@query', 'content-length', 'content-type', 'digest'];
    const s = signV6(req0, { key: KEY1, components, params: [['keyid', KEY1.kid], ['created', CREATED], ['expires', CREATED + 10], ['nonce', GO_NONCE]] });
    return vector({
      name: 'v6-p521-docs-order', generator: V6_GEN, format: 6, request: signed(req0, s), base: s.base,
      description: 'v6 webhook: digest: SHA-256=..., unquoted base lines, parameters keyid;created;expires;nonce and components in the order of Upvest\'s v6 docs example and Go example (headers alphabetical after the derived ones).',
    });
  },
  async () => {
    const req0 = webhookRequest({ digest: 'v6' });
    const components = ['content-type', 'content-length', '@method', '@path', 'digest', '@query'];
    const s = signV6(req0, { key: KEY1, components, params: [['keyid', KEY1.kid], ['created', CREATED], ['nonce', PROXY_NONCE], ['expires', CREATED + 60]] });
    return vector({
      name: 'v6-p521-proxy-order', generator: V6_GEN, format: 6, request: signed(req0, s), base: s.base,
      description: 'v6 with parameters keyid;created;nonce;expires (10-digit nonce, expires = created + 60 s) and components ordered headers, @method, @path, digest, @query, as Upvest\'s httpsignature-proxy v1.3.8 (material.go) builds them.',
    });
  },
  async () => {
    const req0 = webhookRequest({ digest: 'v6', url: WEBHOOK_URL_NO_QUERY });
    const components = ['@method', '@path', 'content-length', 'content-type', 'digest'];
    const s = signV6(req0, { key: KEY_ED, components, params: [['keyid', KEY_ED.kid], ['created', CREATED], ['nonce', GO_NONCE]] });
    return vector({
      name: 'v6-ed25519-go-example', generator: V6_GEN, format: 6, request: signed(req0, s), base: s.base,
      description: 'v6 signed with Ed25519 like Upvest\'s Go example (Go/main.go): parameters keyid;created;nonce, no expires, no query.',
    });
  },
  async () => {
    const req0 = webhookRequest({ digest: 'v6' });
    const components = ['@method', '@path', '@query', 'content-length', 'content-type', 'digest'];
    const s = signV6(req0, { key: KEY1, components, params: [['keyid', KEY1.kid], ['created', CREATED], ['expires', CREATED + 10], ['nonce', GO_NONCE]] });
    return vector({
      name: 'v6-tampered-body', generator: `${V6_GEN}, then the body was changed`, format: 6,
      request: { ...signed(req0, s), body: webhookBody({ securities: TAMPERED_SECURITIES }) }, base: s.base,
      expect: 'invalid', reason: 'digest',
      description: 'v6 delivery whose body was changed after signing; the digest header no longer matches.',
    });
  },

  // ------------------------------------------------------------ RFC 9421
  // Values copied from RFC 9421 (RFC 8792 line folding undone).
  async () => vector({
    name: 'rfc9421-b26',
    generator: 'RFC 9421 Appendix B.2.6',
    description: 'RFC 9421 B.2.6: the test-request signed with test-key-ed25519 (label sig-b26); covers date, @method, @path, @authority, content-type and content-length only: the body (content-digest) is NOT covered.',
    now: 1618884475,
    keys: [RFC_ED25519],
    request: {
      method: 'POST',
      url: 'https://example.com/foo?param=Value&Pet=dog',
      headers: [
        ['Host', 'example.com'],
        ['Date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
        ['Content-Type', 'application/json'],
        ['Content-Digest', 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'],
        ['Content-Length', '18'],
        ['Signature-Input', 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"'],
        ['Signature', 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:'],
      ],
      body: '{"hello": "world"}',
    },
    base: [
      '"date": Tue, 20 Apr 2021 02:07:55 GMT',
      '"@method": POST',
      '"@path": /foo',
      '"@authority": example.com',
      '"content-type": application/json',
      '"content-length": 18',
      '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    ].join('\n'),
  }),
  ...rfcTransformCases(),
  async () => vector({
    name: 'rfc9421-4-3-p256',
    generator: 'RFC 9421 Section 4.3 (client signature sig1)',
    description: 'RFC 9421 section 4.3: the client\'s request signed with test-key-ecc-p256 (ecdsa-p256-sha256, 64-byte r||s signature, not DER); valid per RFC 9421, but P-256 is not a key type Upvest uses. signature_base was rebuilt by both libraries; the RFC does not print it.',
    now: 1618884477,
    keys: [RFC_P256],
    request: {
      method: 'POST',
      url: 'https://example.com/foo?param=Value&Pet=dog',
      headers: [
        ['Host', 'example.com'],
        ['Date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
        ['Content-Type', 'application/json'],
        ['Content-Length', '18'],
        ['Content-Digest', 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'],
        ['Signature-Input', 'sig1=("@method" "@authority" "@path" "content-digest" "content-type" "content-length");created=1618884475;keyid="test-key-ecc-p256"'],
        ['Signature', 'sig1=:X5spyd6CFnAG5QnDyHfqoSNICd+BUP4LYMz2Q0JXlb//4Ijpzp+kve2w4NIyqeAuM7jTDX+sNalzA8ESSaHD3A==:'],
      ],
      body: '{"hello": "world"}',
    },
    base: [
      '"@method": POST',
      '"@authority": example.com',
      '"@path": /foo',
      '"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
      '"content-type": application/json',
      '"content-length": 18',
      '"@signature-params": ("@method" "@authority" "@path" "content-digest" "content-type" "content-length");created=1618884475;keyid="test-key-ecc-p256"',
    ].join('\n'),
  }),
];

// RFC 9421 Appendix B.4: one Ed25519 signature over a GET request, and how
// transformations of the message do or do not break it.
function rfcTransformCases() {
  const input = ['Signature-Input', 'transform=("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519"'];
  const sig = ['Signature', 'transform=:ZT1kooQsEHpZ0I1IjCqtQppOmIqlJPeo7DHR3SoMn0s5JZ1eRGS0A+vyYP9t/LXlh5QMFFQ6cpLt2m0pmj3NDA==:'];
  const base = [
    '"@method": GET',
    '"@path": /demo',
    '"@authority": example.org',
    '"accept": application/json, */*',
    '"@signature-params": ("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519"',
  ].join('\n');
  const date = ['Date', 'Fri, 15 Jul 2022 14:24:55 GMT'];
  const one = (name, description, method, url, headers, expect = 'valid', reason = '') => async () => vector({
    name, description, generator: 'RFC 9421 Appendix B.4', now: 1618884475, keys: [RFC_ED25519],
    request: { method, url, headers: [...headers, input, sig], body: '' }, expect, reason, base,
  });
  return [
    one('rfc9421-b4-original', 'RFC 9421 B.4: the original GET request, with two Accept field lines combined as "application/json, */*" in the base.',
      'GET', 'https://example.org/demo?name1=Value1&Name2=value2',
      [['Host', 'example.org'], date, ['Accept', 'application/json'], ['Accept', '*/*']]),
    one('rfc9421-b4-added-header-and-query', 'RFC 9421 B.4: Accept-Language added and a query parameter added; neither is covered, so the signature is still valid.',
      'GET', 'https://example.org/demo?name1=Value1&Name2=value2&param=added',
      [['Host', 'example.org'], date, ['Accept', 'application/json'], ['Accept', '*/*'], ['Accept-Language', 'en-US,en;q=0.5']]),
    one('rfc9421-b4-accept-collapsed', 'RFC 9421 B.4: Date removed, Referer added and the two Accept lines collapsed into one; still valid.',
      'GET', 'https://example.org/demo?name1=Value1&Name2=value2',
      [['Host', 'example.org'], ['Referer', 'https://developer.example.org/demo'], ['Accept', 'application/json, */*']]),
    one('rfc9421-b4-fields-reordered', 'RFC 9421 B.4: field lines re-ordered (the two Accept lines keep their relative order); still valid.',
      'GET', 'https://example.org/demo?name1=Value1&Name2=value2',
      [['Accept', 'application/json'], ['Accept', '*/*'], date, ['Host', 'example.org']]),
    one('rfc9421-b4-method-and-authority-changed', 'RFC 9421 B.4: method changed to POST and authority to example.com, both covered: NOT valid.',
      'POST', 'https://example.com/demo?name1=Value1&Name2=value2',
      [['Host', 'example.com'], date, ['Accept', 'application/json'], ['Accept', '*/*']], 'invalid', 'bad_signature'),
    one('rfc9421-b4-accept-order-swapped', 'RFC 9421 B.4: the two Accept lines swapped, which changes the combined value: NOT valid.',
      'GET', 'https://example.org/demo?name1=Value1&Name2=value2',
      [['Host', 'example.org'], date, ['Accept', '*/*'], ['Accept', 'application/json']], 'invalid', 'bad_signature'),
  ];
}

// ---------------------------------------------------------------- main

const SHAPE = ['name', 'description', 'generator', 'format', 'now', 'keys', 'request', 'expect', 'reason', 'signature_base'];
const REASONS = ['', 'bad_signature', 'expired', 'digest', 'unknown_key', 'alg_mismatch', 'not_covered', 'malformed'];

function checkShape(c, file) {
  const keys = Object.keys(c);
  const want = SHAPE.filter((k) => k !== 'signature_base' || 'signature_base' in c);
  if (keys.join() !== want.join()) throw new Error(`${file}: fields ${keys.join()}, want ${want.join()}`);
  if (`${c.name}.json` !== file) throw new Error(`${file}: name ${c.name}`);
  if (![6, 15].includes(c.format)) throw new Error(`${file}: format ${c.format}`);
  if (!['valid', 'invalid'].includes(c.expect) || !REASONS.includes(c.reason) || (c.expect === 'valid') !== (c.reason === '')) {
    throw new Error(`${file}: expect ${c.expect} reason ${c.reason}`);
  }
  for (const k of c.keys) if (!k.kid || !k.kty || !k.crv || !k.x || 'd' in k) throw new Error(`${file}: bad key ${JSON.stringify(k)}`);
  const r = c.request;
  if (Object.keys(r).join() !== 'method,url,headers,body' || !r.headers.every((h) => h.length === 2)) throw new Error(`${file}: bad request`);
}

// toJSON is JSON.stringify with two-space indent, each header pair on one line.
function toJSON(c) {
  return JSON.stringify(c, null, 2)
    .replace(/\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]/g, '[$1, $2]') + '\n';
}

async function main() {
  const onlyCheck = process.argv.includes('--check');
  if (!onlyCheck) {
    const names = new Set();
    for (const build of CASES) {
      const c = await build();
      if (names.has(c.name)) throw new Error(`duplicate case ${c.name}`);
      names.add(c.name);
      await assertExpected(c);
      writeFileSync(path.join(OUT, `${c.name}.json`), toJSON(c));
    }
    writeFileSync(CACHE_FILE, JSON.stringify(newCache, null, 2) + '\n');
  }
  // Check every vector in the directory, including any not written above.
  const files = readdirSync(OUT).filter((f) => f.endsWith('.json')).sort();
  let n = 0;
  for (const file of files) {
    const c = JSON.parse(readFileSync(path.join(OUT, file), 'utf8'));
    checkShape(c, file);
    const got = await assertExpected(c);
    n++;
    console.log(`ok  ${c.name.padEnd(40)} ${c.expect}${c.reason ? ` (${c.reason})` : ''}  [${Object.keys(got).join(', ')}]`);
  }
  console.log(`${n} vectors checked`);
}

main().catch((e) => { console.error(e); process.exit(1); });
