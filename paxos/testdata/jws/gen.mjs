// Makes the Paxos request-signing vectors with jose (npm), a JOSE
// implementation independent of the SDK's. Run once, commit the output;
// CI only replays vectors.json (see README.md):
//
//   npm ci && node gen.mjs > vectors.json
//   node gen.mjs verify sdk_signatures.json   # jose checks JWSs the SDK made
import { readFileSync } from 'node:fs';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { CompactSign, compactVerify, importJWK, decodeProtectedHeader } from 'jose';

// Test keys, made for these vectors only.
const keys = {
  ed25519: { kty: 'OKP', crv: 'Ed25519', x: 'EyZtq39TMcYhNcJWMz6ONZSQ_1oG5FJO4QUGaNhA7uk', d: 'BS5HqYH9LGAp1evOkHgKLlyAMEm8aGsXXUvdAluQ5I8' },
  es256: { kty: 'EC', crv: 'P-256', x: 'ssVN7G_aoQI0Yu_RNW35DSzmbXxxtxBTL4flPk_wKUs', y: 'fzT4407u0xmNldnsmmrx9XgbonIHz268hnwBwc24vqE', d: 'H2QV2QjH1bcRm3WrvH8CRWRnO4uoWsyq5vyIajma5Oo' },
  // another P-256 key, registered nowhere: the "wrong key"
  other: { kty: 'EC', crv: 'P-256', x: 'pAuSLmL3dKBVv7gIVQYfJLkKRmt78OPhoytWf_wPkpc', y: 'BUC7l37Ziv6_eXcW94ioQiBJeqgl__YiZXrgTC2ju2E', d: 'WxnQSTxK7vBtdrt8TLxYDVk98AxMGdfpdtJV8eKHsug' },
};
const kid = { ed25519: 'ed25519-key-1', es256: 'es256-key-1' };
const pub = (k) => Object.fromEntries(Object.entries(k).filter(([n]) => n !== 'd'));

const enc = new TextEncoder();
const b64 = (bytes) => Buffer.from(bytes).toString('base64url');

// header builds the protected header in the member order the SDK writes
// (the vendor's example order), as [name, value] pairs.
function header(alg, keyID, ts, method, path) {
  return [
    ['typ', 'JWT'], ['alg', alg], ['kid', keyID],
    ['paxos.com/timestamp', String(ts)], ['paxos.com/request-method', method], ['paxos.com/request-path', path],
  ];
}

async function sign(jwk, alg, pairs, payload) {
  const key = await importJWK(jwk, alg);
  return new CompactSign(enc.encode(payload)).setProtectedHeader(Object.fromEntries(pairs)).sign(key);
}

const T = 1767268800; // 2026-01-01T12:00:00Z: when the requests were signed
const account = '7a3f5e2c-93d4-4c1e-8d3b-1f2a6b9c0d11';
const owner = '0acd56b7-140b-4b29-83e4-7e717f03afd9';
const member = '2dedfc70-a67f-4e4a-bcc0-1d288408ba6b';
const createBody = JSON.stringify({ account: { identity_id: owner, description: 'signed create', ref_id: 'jws-vector-1' } });
const updateBody = JSON.stringify({ account: { id: account, description: 'signed update', members: [{ identity_id: owner, roles: ['BENEFICIAL_OWNER'] }] } });
const addBody = JSON.stringify({ account_id: account, members: [{ identity_id: member, roles: ['AUTHORIZED_USER'] }] });

async function main() {
  const out = {
    generator: 'gen.mjs with jose ' + JSON.parse(readFileSync(new URL('./node_modules/jose/package.json', import.meta.url))).version + ' on Node ' + process.version,
    keys: { ed25519: { kid: kid.ed25519, jwk: keys.ed25519 }, es256: { kid: kid.es256, jwk: keys.es256 } }, // test keys: private halves included
    signed_at: T,
  };

  // (a) Ed25519 signatures are deterministic: the SDK must produce these
  // strings byte for byte from the same header members and payload.
  out.deterministic = [];
  for (const [name, pairs, payload] of [
    ['GET, empty payload', header('EdDSA', kid.ed25519, T, 'GET', '/v2/identity/accounts/' + account), ''],
    ['GET with a query', header('EdDSA', kid.ed25519, T, 'GET', '/v2/identity/accounts?identity_id=' + owner + '&limit=2'), ''],
    ['POST with a body', header('EdDSA', kid.ed25519, T, 'POST', '/v2/identity/accounts'), createBody],
    ['escapes in the header', header('EdDSA', 'kid "quoted" \\ tab\t nl\n ctl\u0001 é €/<>&\u2028', T, 'PUT', '/v2/identity/accounts'), updateBody],
  ]) {
    out.deterministic.push({ name, header: pairs, payload, jws: await sign(keys.ed25519, 'EdDSA', pairs, payload) });
  }

  // (b) Requests signed by jose that the fake must accept, checked at
  // signed_at + 10 s.
  const requests = [
    ['GET an account', 'GET', '/v2/identity/accounts/' + account, ''],
    ['list with a query', 'GET', '/v2/identity/accounts?identity_id=' + owner + '&limit=2', ''],
    ['create', 'POST', '/v2/identity/accounts', createBody],
    ['update', 'PUT', '/v2/identity/accounts', updateBody],
    ['add members', 'POST', '/v2/identity/account-members', addBody],
  ];
  out.accepted = [];
  for (const [name, method, path, body] of requests) {
    out.accepted.push({ name: name + ' (ES256)', method, path, body, checked_at: T + 10,
      jws: await sign(keys.es256, 'ES256', header('ES256', kid.es256, T, method, path), body) });
  }
  out.accepted.push({ name: 'GET an account (EdDSA)', method: 'GET', path: '/v2/identity/accounts/' + account, body: '', checked_at: T + 10,
    jws: await sign(keys.ed25519, 'EdDSA', header('EdDSA', kid.ed25519, T, 'GET', '/v2/identity/accounts/' + account), '') });
  out.accepted.push({ name: 'checked 29 minutes 59 seconds after it was made', method: 'GET', path: '/v2/identity/accounts/' + account, body: '', checked_at: T + 1799,
    jws: await sign(keys.es256, 'ES256', header('ES256', kid.es256, T, 'GET', '/v2/identity/accounts/' + account), '') });

  // (c) What the fake must refuse: 401 when the signature itself is not
  // valid (missing parts, unknown or wrong key, bad signature, expired),
  // 403 when a valid signature does not match the request; reason is a
  // part of the fake's problem detail, so that a vector refused for
  // another reason fails.
  const get = '/v2/identity/accounts/' + account;
  const es = (method, path, payload, ts = T, keyName = 'es256', extra = []) =>
    sign(keys[keyName], 'ES256', [...header('ES256', kid.es256, ts, method, path), ...extra], payload);
  const good = await es('POST', '/v2/identity/accounts', createBody);
  const [gh, , gs] = good.split('.');
  const goodGet = await es('GET', get, '');
  const [ggh, , ggs] = goodGet.split('.');
  // node's own ECDSA signature, in ASN.1 DER rather than JWS's r||s
  const derInput = ggh + '.';
  const der = nodeSign('sha256', Buffer.from(derInput), createPrivateKey({ key: keys.es256, format: 'jwk' }));
  out.refused = [
    { name: 'expired: made 30 minutes and 1 second before the check', method: 'GET', path: get, body: '', checked_at: T + 1801, jws: goodGet, status: 401, reason: 'expired' },
    { name: 'timestamp ten minutes in the future', method: 'GET', path: get, body: '', checked_at: T - 600, jws: goodGet, status: 401, reason: 'in the future' },
    { name: 'wrong key: another P-256 key under the registered kid', method: 'GET', path: get, body: '', checked_at: T + 10, jws: await es('GET', get, '', T, 'other'), status: 401, reason: 'does not verify' },
    { name: 'tampered payload segment (the body changed in both places)', method: 'POST', path: '/v2/identity/accounts', body: createBody.replace('signed create', 'signed crate!'),
      checked_at: T + 10, jws: gh + '.' + b64(enc.encode(createBody.replace('signed create', 'signed crate!'))) + '.' + gs, status: 401, reason: 'does not verify' },
    { name: 'tampered header (path changed, signature kept)', method: 'GET', path: '/v2/identity/accounts/other', body: '', checked_at: T + 10,
      jws: b64(enc.encode(JSON.stringify(Object.fromEntries(header('ES256', kid.es256, T, 'GET', '/v2/identity/accounts/other'))))) + '..' + ggs, status: 401, reason: 'does not verify' },
    { name: 'ES256 signature in ASN.1 DER, not r||s', method: 'GET', path: get, body: '', checked_at: T + 10, jws: derInput + '.' + b64(der), status: 401, reason: 'does not verify' },
    { name: 'alg EdDSA under the ES256 key id', method: 'GET', path: get, body: '', checked_at: T + 10,
      jws: await sign(keys.ed25519, 'EdDSA', header('EdDSA', kid.es256, T, 'GET', get), ''), status: 401, reason: 'the key signs ES256' },
    { name: 'unknown kid', method: 'GET', path: get, body: '', checked_at: T + 10,
      jws: await sign(keys.es256, 'ES256', header('ES256', 'no-such-key', T, 'GET', get), ''), status: 401, reason: 'no signing key' },
    { name: 'timestamp not a number', method: 'GET', path: get, body: '', checked_at: T + 10,
      jws: await sign(keys.es256, 'ES256', header('ES256', kid.es256, 'soon', 'GET', get), ''), status: 401, reason: 'not Unix seconds' },
    { name: 'no request-path member', method: 'GET', path: get, body: '', checked_at: T + 10,
      jws: await sign(keys.es256, 'ES256', header('ES256', kid.es256, T, 'GET', get).slice(0, 5), ''), status: 401, reason: 'needs paxos.com/request-method and paxos.com/request-path' },
    { name: 'not a JWS', method: 'GET', path: get, body: '', checked_at: T + 10, jws: 'not-a-jws', status: 401, reason: 'not a compact JWS' },
    { name: 'body changed (the signature covers the original)', method: 'POST', path: '/v2/identity/accounts', body: createBody.replace('signed create', 'signed crate!'),
      checked_at: T + 10, jws: good, status: 403, reason: 'payload is not the body' },
    { name: 'body added to a signed empty payload', method: 'PUT', path: '/v2/identity/accounts', body: updateBody, checked_at: T + 10,
      jws: await es('PUT', '/v2/identity/accounts', ''), status: 403, reason: 'payload is not the body' },
    { name: 'wrong method: signed for POST, sent as PUT', method: 'PUT', path: '/v2/identity/accounts', body: createBody, checked_at: T + 10, jws: good, status: 403, reason: 'signed for POST, sent as PUT' },
    { name: 'wrong path: signed for another account', method: 'GET', path: '/v2/identity/accounts/' + member, body: '', checked_at: T + 10, jws: goodGet, status: 403, reason: 'signed for the path' },
    { name: 'query added to a request signed without it', method: 'GET', path: '/v2/identity/accounts?limit=2', body: '', checked_at: T + 10,
      jws: await es('GET', '/v2/identity/accounts', ''), status: 403, reason: 'signed for the path' },
    { name: 'query dropped from a request signed with it', method: 'GET', path: '/v2/identity/accounts', body: '', checked_at: T + 10,
      jws: await es('GET', '/v2/identity/accounts?limit=2', ''), status: 403, reason: 'signed for the path' },
  ];

  // Every vector is checked with jose itself before it is written.
  const pubKeys = { [kid.es256]: await importJWK(pub(keys.es256), 'ES256'), [kid.ed25519]: await importJWK(pub(keys.ed25519), 'EdDSA') };
  for (const v of [...out.deterministic, ...out.accepted]) {
    const { payload } = await compactVerify(v.jws, pubKeys[decodeProtectedHeader(v.jws).alg === 'EdDSA' ? kid.ed25519 : kid.es256]);
    if (Buffer.from(payload).toString() !== (v.payload ?? v.body)) throw new Error('payload mismatch in ' + v.name);
  }
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

// verify checks with jose the JWSs the SDK made (a JSON list of {name,
// jws, kid} written by the Go test TestWriteSDKSignatures with
// -jws-out) against the test keys, and prints one line per JWS.
async function verify(file) {
  const list = JSON.parse(readFileSync(file, 'utf8'));
  const pubKeys = { [kid.es256]: await importJWK(pub(keys.es256), 'ES256'), [kid.ed25519]: await importJWK(pub(keys.ed25519), 'EdDSA') };
  let bad = 0;
  for (const v of list) {
    try {
      const { payload, protectedHeader } = await compactVerify(v.jws, pubKeys[decodeProtectedHeader(v.jws).kid]);
      console.log('ok  ', v.name, protectedHeader.alg, JSON.stringify(protectedHeader), Buffer.from(payload).length + ' payload bytes');
    } catch (e) {
      bad++;
      console.log('FAIL', v.name, e.code || '', e.message);
    }
  }
  console.log(`${list.length - bad} verified, ${bad} failed`);
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[2] === 'verify') await verify(process.argv[3]); else await main();
