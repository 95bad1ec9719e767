import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type Mechanism = 'PLAIN' | 'SCRAM-SHA-256';
export const MECHANISMS: Mechanism[] = ['PLAIN', 'SCRAM-SHA-256'];

/** The outcome of one SaslAuthenticate round: bytes for the client, and the principal once done. */
export interface SaslStep {
  response: Buffer;
  principal?: string;
  error?: string;
}

const SCRAM_ITERATIONS = 4096;

interface ScramCredential {
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, data: string | Buffer) => createHmac('sha256', key).update(data).digest();

/** Users and their credentials (SCRAM keys derived once at start, as a broker stores them). */
export class Credentials {
  private readonly plain = new Map<string, string>();
  private readonly scram = new Map<string, ScramCredential>();

  constructor(users: Record<string, string>) {
    for (const [user, password] of Object.entries(users)) {
      this.plain.set(user, password);
      const salt = createHash('sha256').update(`techan-kafka-standin:${user}`).digest().subarray(0, 16);
      const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
      const clientKey = hmac(salted, 'Client Key');
      this.scram.set(user, { salt, storedKey: createHash('sha256').update(clientKey).digest(), serverKey: hmac(salted, 'Server Key') });
    }
  }

  get enabled(): boolean {
    return this.plain.size > 0;
  }

  /** A fresh exchange for one connection. */
  exchange(mechanism: Mechanism): (token: Buffer) => SaslStep {
    if (mechanism === 'PLAIN') {
      return (token) => {
        const [, user, password] = token.toString('utf8').split('\0');
        const expected = this.plain.get(user ?? '');
        const ok = expected !== undefined && password !== undefined && safeEqual(Buffer.from(expected), Buffer.from(password));
        return ok ? { response: Buffer.alloc(0), principal: user } : { response: Buffer.alloc(0), error: 'Authentication failed: Invalid username or password' };
      };
    }
    let stage = 0;
    let user = '';
    let clientFirstBare = '';
    let serverFirst = '';
    let nonce = '';
    return (token) => {
      const text = token.toString('utf8');
      const fail = (why: string): SaslStep => ({ response: Buffer.alloc(0), error: `Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256 (${why})` });
      if (stage === 0) {
        stage = 1;
        const m = /^[ny],[^,]*,(n=([^,]*),r=([^,]+).*)$/.exec(text);
        if (!m) return fail('malformed client-first message');
        clientFirstBare = m[1];
        user = m[2].replace(/=2C/g, ',').replace(/=3D/g, '=');
        const cred = this.scram.get(user);
        // An unknown user still gets a server-first message (no user enumeration); the proof then fails.
        nonce = m[3] + randomBytes(18).toString('base64');
        const salt = cred?.salt ?? randomBytes(16);
        serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${SCRAM_ITERATIONS}`;
        return { response: Buffer.from(serverFirst) };
      }
      if (stage !== 1) return fail('unexpected message');
      stage = 2;
      const m = /^(c=[^,]*,r=([^,]+)),p=([^,]+)$/.exec(text);
      const cred = this.scram.get(user);
      // As Kafka's ScramSaslServer: the final nonce must end with ours (librdkafka prefixes its own nonce again).
      if (!m || !m[2].endsWith(nonce) || !cred) return fail('bad proof');
      const authMessage = `${clientFirstBare},${serverFirst},${m[1]}`;
      const clientSignature = hmac(cred.storedKey, authMessage);
      const proof = Buffer.from(m[3], 'base64');
      if (proof.length !== clientSignature.length) return fail('bad proof');
      const clientKey = Buffer.from(proof.map((b, i) => b ^ clientSignature[i]));
      if (!safeEqual(createHash('sha256').update(clientKey).digest(), cred.storedKey)) return fail('bad proof');
      return { response: Buffer.from(`v=${hmac(cred.serverKey, authMessage).toString('base64')}`), principal: user };
    };
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
