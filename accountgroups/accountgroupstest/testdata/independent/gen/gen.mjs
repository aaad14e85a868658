// gen.mjs writes ../requests.json: eight Upvest Investment API requests
// signed by Upvest's own public JavaScript reference signer, upvestNodeSign()
// from github.com/upvestco/http-signature-examples, Javascript/ at commit
// a3cf9f434b45c012e8a818846efc78948c5346ca. None of this SDK's code signs
// them. See ../README.md for what the file holds and why.
//
// Upvest's code is not kept in this repository. To run:
//
//   1. Copy Javascript/Canonicaliser.mjs, Signature.mjs and UpvestNodeSigner.mjs
//      from that commit into a scratch folder outside this repository.
//   2. In that folder: npm i --save-exact lodash@4.17.21 axios@1.4.0
//      (axios 1.4.0 exactly, not the newest 1.x; see ../README.md).
//   3. From this folder (Node.js v20):
//
//        UPVEST_JS_DIR=/path/to/scratch node gen.mjs
//
//      or `node gen.mjs /path/to/scratch [out.json]`. The default output is
//      ../requests.json.
//
// The script drives upvestNodeSign() the way Upvest's
// UpvestNodeAxiosInterceptor and example.mjs do, through axios, with the
// private key in keys/, a fixed created time, expiresInSeconds 10 and a fixed
// nonce per request. A loopback server records every request as it arrives
// (header names and order as sent, the exact body; Host is left out) and the
// file is written from that record. Before writing, every request is checked
// again without Upvest's code: the signature base is rebuilt from the recorded
// request and must equal the one the signer reported, the signature must
// verify with node:crypto, and content-length and content-digest must match
// the body.
//
// ECDSA P-521 signatures are randomised, so the "signature" values change on
// every run. Everything else stays the same.

import { createHash, createPrivateKey, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const UPVEST_COMMIT = 'a3cf9f434b45c012e8a818846efc78948c5346ca';
const AXIOS_VERSION = '1.4.0';
const LODASH_VERSION = '4.17.21';

const upvestDir = path.resolve(process.argv[2] || process.env.UPVEST_JS_DIR || '');
if (!process.argv[2] && !process.env.UPVEST_JS_DIR) {
    console.error('usage: UPVEST_JS_DIR=<folder with Upvest\'s Javascript/*.mjs> node gen.mjs  (or: node gen.mjs <folder> [out.json])');
    process.exit(2);
}
const outFile = path.resolve(process.argv[3] || path.join(HERE, '..', 'requests.json'));

// ---------------------------------------------------------------- fixed inputs

const BASE_URL = 'http://upvest.invalid'; // recorded in the file; the requests go to a loopback server
const KEY_ID = 'independent-client-key';
const KEY_FILE = path.join(HERE, 'keys', `${KEY_ID}.private.jwk.json`);
const CLIENT_ID = '6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const CLIENT_SECRET = 'accountgroupstest-secret';
const SCOPES = ['accounts:read', 'accounts:admin'];
const TOKEN = 'fixture-token';
const CREATED = 1767323045; // 2026-01-02T03:04:05Z
const EXPIRES_IN_SECONDS = 10;
const nonce = (i) => `a1f0c6d2-5b3e-4c7a-8d9e-0f1a2b3c4d${String(i).padStart(2, '0')}`;
const ACCOUNT_GROUP_ID = '00000000-0000-4000-8000-000000000001';
const USER_ID = '413715f2-5401-4b97-8055-034a6b879f8c';
const IDEMPOTENCY_KEY = 'c2a4e1f6-7b3d-4e8a-9c5f-1d2e3f4a5b6c';

// ---------------------------------------------------------------- Upvest's code and its dependencies

// axios and lodash are loaded from the Upvest folder's node_modules, the
// same copies that UpvestNodeSigner.mjs (lodash) and the interceptor
// (axios) use there.
const requireFromUpvest = createRequire(path.join(upvestDir, 'package.json'));
const packageDir = (name) => path.dirname(requireFromUpvest.resolve(`${name}/package.json`));
const packageVersion = (name) => JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')).version;
for (const [name, want] of [['axios', AXIOS_VERSION], ['lodash', LODASH_VERSION]]) {
    const got = packageVersion(name);
    if (got !== want) {
        throw new Error(`${name} ${got} in ${upvestDir}, want ${want}`);
    }
}
const { default: axios } = await import(pathToFileURL(path.join(packageDir('axios'), 'index.js')));
const { default: buildURL } = await import(pathToFileURL(path.join(packageDir('axios'), 'lib', 'helpers', 'buildURL.js')));
const { upvestNodeSign } = await import(pathToFileURL(path.join(upvestDir, 'UpvestNodeSigner.mjs')));

// ---------------------------------------------------------------- key

const jwk = JSON.parse(readFileSync(KEY_FILE, 'utf8'));
const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
if (jwk.kid !== KEY_ID || publicJwk.crv !== 'P-521' || publicJwk.x !== jwk.x || publicJwk.y !== jwk.y) {
    throw new Error(`${KEY_FILE} is not the P-521 key "${KEY_ID}"`);
}

// ---------------------------------------------------------------- interceptor

// interceptAndSignRequest is UpvestNodeAxiosInterceptor.interceptAndSignRequest
// from Upvest's Javascript/UpvestNodeAxiosInterceptor.mjs, except that it
// passes created, expiresInSeconds and this request's nonce to upvestNodeSign
// (the original lets the signer take the current time, 5 seconds and a random
// nonce). Adapted from github.com/upvestco/http-signature-examples, which is
// licensed under the Apache License, Version 2.0 (its LICENSE file); the
// change is the one just described.
function interceptAndSignRequest(config) {
    const axiosUrl = buildURL(config.url, config.params, config.paramsSerializer);
    const whatwgUrl = new URL(axiosUrl, config.baseURL);

    const defaultHeaders = {
        accept: 'application/json'
    };
    if (config.data) {
        defaultHeaders['content-type'] = 'application/json';
    }

    const headers = Object.assign(defaultHeaders, config.headers);

    const { outputHeaders, signatureBase } = upvestNodeSign({
        method: config.method,
        url: whatwgUrl,
        headers,
        body: config.data ? config.data : null,
        keyId: KEY_ID,
        signatureKey: privateKey,
        created: new Date(CREATED * 1000),
        expiresInSeconds: EXPIRES_IN_SECONDS,
        nonce: config.fixtureNonce,
    });
    config.headers = Object.assign(config.headers, outputHeaders);
    config.signatureBase = signatureBase;
    return config;
}

// ---------------------------------------------------------------- loopback server

const received = [];
const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        const headers = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
            if (req.rawHeaders[i].toLowerCase() !== 'host') {
                headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
            }
        }
        const url = new URL(req.url, 'http://loopback');
        received.push({
            method: req.method,
            path: url.pathname,
            query: url.search.replace(/^\?/, ''),
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
    });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const loopback = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------- clients

// As in Upvest's example.mjs: default headers accept, upvest-client-id and
// upvest-api-version, and the signing interceptor installed. The second
// client leaves out upvest-api-version.
const newClient = (withApiVersion) => {
    const headers = {
        'accept': 'application/json',
        'upvest-client-id': CLIENT_ID,
    };
    if (withApiVersion) {
        headers['upvest-api-version'] = '1';
    }
    const api = axios.create({ baseURL: loopback, timeout: 10000, validateStatus: null, headers });
    api.interceptors.request.use((config) => interceptAndSignRequest(config));
    return api;
};
const withVersion = newClient(true);
const withoutVersion = newClient(false);

const withAuthHeader = (otherHeaders) => Object.assign(otherHeaders, { 'authorization': `Bearer ${TOKEN}` });

const tokenForm = () => new URLSearchParams({
    'grant_type': 'client_credentials',
    'client_id': CLIENT_ID,
    'client_secret': CLIENT_SECRET,
    'scope': SCOPES.join(' '),
}).toString();

const requests = [
    ['token_with_api_version', (n) => withVersion.post('auth/token', tokenForm(),
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, fixtureNonce: n })],
    ['token_without_api_version', (n) => withoutVersion.post('auth/token', tokenForm(),
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, fixtureNonce: n })],
    ['list_account_groups', (n) => withVersion.get('account_groups',
        { headers: withAuthHeader({}), params: { limit: 10, offset: 0 }, fixtureNonce: n })],
    ['list_account_groups_without_api_version', (n) => withoutVersion.get('account_groups',
        { headers: withAuthHeader({}), params: { limit: 10, offset: 0 }, fixtureNonce: n })],
    ['get_account_group', (n) => withVersion.get(`account_groups/${ACCOUNT_GROUP_ID}`,
        { headers: withAuthHeader({}), fixtureNonce: n })],
    ['get_account_group_without_api_version', (n) => withoutVersion.get(`account_groups/${ACCOUNT_GROUP_ID}`,
        { headers: withAuthHeader({}), fixtureNonce: n })],
    ['create_account_group', (n) => withVersion.post('account_groups', { user_id: USER_ID, type: 'PERSONAL' },
        { headers: withAuthHeader({ 'content-type': 'application/json', 'idempotency-key': IDEMPOTENCY_KEY }), fixtureNonce: n })],
    ['close_account_group', (n) => withVersion.delete(`account_groups/${ACCOUNT_GROUP_ID}`,
        { headers: withAuthHeader({}), params: { closure_reason: 'user_initiated', notification_only: false }, fixtureNonce: n })],
];

const recorded = [];
try {
    for (const [i, [name, send]] of requests.entries()) {
        const response = await send(nonce(i + 1));
        if (response.status !== 200 || received.length !== i + 1) {
            throw new Error(`${name}: status ${response.status}, ${received.length} requests received`);
        }
        recorded.push({ name, ...received[i], signature_base: response.config.signatureBase });
    }
} finally {
    server.closeAllConnections();
    server.close();
}

// ---------------------------------------------------------------- checks

// A draft-15 signature base rebuilt from the recorded request, as a verifier
// would: the covered components and parameters come from signature-input as
// received.
function rebuildBase(r) {
    const header = (name) => {
        const values = r.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
        if (values.length !== 1) {
            throw new Error(`${r.name}: ${values.length} "${name}" headers`);
        }
        return values[0];
    };
    const m = /^sig1=\(([^)]*)\)(;.*)$/.exec(header('signature-input'));
    if (!m) {
        throw new Error(`${r.name}: cannot parse signature-input`);
    }
    const components = m[1].split(' ').map((c) => JSON.parse(c));
    const lines = components.map((c) => {
        switch (c) {
            case '@method': return `"@method": ${r.method}`;
            case '@path': return `"@path": ${r.path}`;
            case '@query': return `"@query": ?${r.query}`;
            default: return `"${c}": ${header(c)}`;
        }
    });
    lines.push(`"@signature-params": (${m[1]})${m[2]}`);
    return { base: lines.join('\n'), params: m[2], header };
}

const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' });
for (const r of recorded) {
    const { base, params, header } = rebuildBase(r);
    if (base !== r.signature_base) {
        throw new Error(`${r.name}: rebuilt base differs from the one the signer reported:\n${base}\n--\n${r.signature_base}`);
    }
    const wantParams = `;keyid="${KEY_ID}";created=${CREATED};expires=${CREATED + EXPIRES_IN_SECONDS};nonce="${nonce(recorded.indexOf(r) + 1)}"`;
    if (params !== wantParams) {
        throw new Error(`${r.name}: parameters ${params}, want ${wantParams}`);
    }
    const sig = /^sig1=:([A-Za-z0-9+/=]+):$/.exec(header('signature'));
    if (!sig || !cryptoVerify('sha512', Buffer.from(base), publicKey, Buffer.from(sig[1], 'base64'))) {
        throw new Error(`${r.name}: signature does not verify`);
    }
    if (r.body !== '') {
        const body = Buffer.from(r.body, 'utf8');
        if (header('content-length') !== String(body.length)) {
            throw new Error(`${r.name}: content-length ${header('content-length')}, body has ${body.length} bytes`);
        }
        const digest = `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;
        if (header('content-digest') !== digest) {
            throw new Error(`${r.name}: content-digest does not match the body`);
        }
    }
}

// ---------------------------------------------------------------- output

const nodeVersion = process.version.replace(/^v/, '');
const output = {
    generator: `Upvest reference JS signer upvestNodeSign() from github.com/upvestco/http-signature-examples Javascript/ (commit ${UPVEST_COMMIT}; files Signature.mjs, Canonicaliser.mjs, UpvestNodeSigner.mjs), driven the way its UpvestNodeAxiosInterceptor does through axios ${AXIOS_VERSION} (lodash ${LODASH_VERSION}) on Node.js v${nodeVersion}, with created, nonce and expiresInSeconds=${EXPIRES_IN_SECONDS} passed in; requests captured on the wire by a loopback server (Host header dropped). Signatures: ECDSA P-521 SHA-512, DER, base64.`,
    base_url: BASE_URL,
    key: { kty: publicJwk.kty, crv: publicJwk.crv, kid: KEY_ID, x: publicJwk.x, y: publicJwk.y },
    client_id: CLIENT_ID,
    token: TOKEN,
    created: CREATED,
    requests: recorded.map(({ name, method, path, query, headers, body, signature_base }) =>
        ({ name, method, path, query, headers, body, signature_base })),
};

// JSON with two-space indentation, except that each header is one
// ["name", "value"] line.
const j = JSON.stringify;
const indent = (s, n) => s.split('\n').join('\n' + ' '.repeat(n));
const requestJSON = (r) => [
    '{',
    ...Object.entries(r).map(([k, v], i, all) => {
        const comma = i < all.length - 1 ? ',' : '';
        if (k === 'headers') {
            return `  "headers": [\n${v.map(([n, hv]) => `    [${j(n)}, ${j(hv)}]`).join(',\n')}\n  ]${comma}`;
        }
        return `  ${j(k)}: ${j(v)}${comma}`;
    }),
    '}',
].join('\n');
const text = [
    '{',
    ...Object.entries(output).map(([k, v], i, all) => {
        const comma = i < all.length - 1 ? ',' : '';
        if (k === 'requests') {
            return `  "requests": [\n    ${v.map((r) => indent(requestJSON(r), 4)).join(',\n    ')}\n  ]${comma}`;
        }
        return `  ${j(k)}: ${indent(j(v, null, 2), 2)}${comma}`;
    }),
    '}',
].join('\n') + '\n';

if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(output)) {
    throw new Error('output formatting lost data');
}
writeFileSync(outFile, text);
console.log(`wrote ${recorded.length} requests to ${outFile}`);
