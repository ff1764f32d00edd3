// How answers leave the sandbox: whole, or spoiled on purpose for a fault.

import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';

import type { Reply } from './api';

/** One request in flight: where to answer, and the record that notes the status sent. */
export interface Exchange {
  response: ServerResponse;
  record: { status?: number };
}

/** Waits, or throws once the sandbox is closing so nothing is written to a dead socket. */
export type Pause = (ms: number) => Promise<void>;

/** Cloudflare stamps every answer with a ray ID; clients log it for support tickets. */
export function cfRay(): string {
  return `${randomBytes(8).toString('hex')}-SJC`;
}

function writeHead(exchange: Exchange, status: number, headers: OutgoingHttpHeaders): void {
  exchange.record.status = status;
  exchange.response.writeHead(status, { 'cf-ray': cfRay(), ...headers });
}

function jsonHeaders(reply: Reply, body: Buffer): OutgoingHttpHeaders {
  return {
    'content-type': 'application/json',
    'content-length': body.length,
    ...reply.headers,
  };
}

export function sendReply(exchange: Exchange, reply: Reply): void {
  const body = Buffer.from(JSON.stringify(reply.body));
  writeHead(exchange, reply.status, jsonHeaders(reply, body));
  exchange.response.end(body);
}

export function sendText(exchange: Exchange, status: number, contentType: string, text: string) {
  const body = Buffer.from(text);
  writeHead(exchange, status, { 'content-type': contentType, 'content-length': body.length });
  exchange.response.end(body);
}

/** Headers at once; the body after `ms`, as two writes so the client reads it in pieces. */
export async function sendSlowBody(exchange: Exchange, reply: Reply, ms: number, pause: Pause) {
  const body = Buffer.from(JSON.stringify(reply.body));
  const middle = Math.floor(body.length / 2);
  writeHead(exchange, reply.status, jsonHeaders(reply, body));
  exchange.response.flushHeaders();

  await pause(ms);
  exchange.response.write(body.subarray(0, middle));
  await new Promise((resolve) => setImmediate(resolve));
  exchange.response.end(body.subarray(middle));
}

/** The full content-length is promised, half is sent, then the socket ends. */
export function sendTruncated(exchange: Exchange, reply: Reply): void {
  const body = Buffer.from(JSON.stringify(reply.body));
  writeHead(exchange, reply.status, jsonHeaders(reply, body));
  exchange.response.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    exchange.response.socket?.end();
  });
}

/** The socket is reset (TCP RST) without a byte of answer. */
export function resetSocket(exchange: Exchange): void {
  exchange.response.socket?.resetAndDestroy();
}

/** An edge or proxy error page, the kind a client receives instead of an envelope. */
export function sendHtmlError(exchange: Exchange, status: number): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const page = [
    '<!DOCTYPE html>',
    `<html><head><title>${title}</title></head>`,
    `<body><h1>${title}</h1><p>The upstream server did not answer.</p></body></html>`,
    '',
  ].join('\n');
  sendText(exchange, status, 'text/html; charset=UTF-8', page);
}

/**
 * A 200 envelope of exactly `bytes` bytes (at least the envelope itself), written in small
 * pieces as the client reads, so the sandbox never holds the whole body.
 */
export async function sendHuge(exchange: Exchange, bytes: number, chunked: boolean) {
  const head = Buffer.from('{"success":true,"errors":[],"messages":[],"result":{"padding":"');
  const tail = Buffer.from('"}}');
  const paddingBytes = Math.max(0, bytes - head.length - tail.length);
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json' };
  if (!chunked) {
    headers['content-length'] = head.length + paddingBytes + tail.length;
  }

  const { response } = exchange;
  writeHead(exchange, 200, headers);
  await write(response, head);

  const padding = Buffer.alloc(64 * 1024, 'x');
  let left = paddingBytes;
  while (left > 0 && !response.destroyed) {
    const size = Math.min(left, padding.length);
    await write(response, size === padding.length ? padding : padding.subarray(0, size));
    left -= size;
  }

  if (!response.destroyed) {
    response.end(tail);
  }
}

/** Resolves when the client has room for more, or when it went away. */
async function write(response: ServerResponse, chunk: Buffer): Promise<void> {
  if (response.write(chunk)) {
    return;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
