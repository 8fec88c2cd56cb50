// HTTP/1.1 message framing for the load benchmark's lean parts: the generator's keep-alive client and the harness's
// counting proxy read one direction of a connection as a byte stream and need to know where each message starts and
// ends (by Content-Length or chunked framing), nothing more. Node's http module does much more per message (header
// objects, events, stream plumbing), and on a 2-core machine that CPU is taken from whichever side is being measured.

/**
 * Returns a function to feed a connection's chunks to; calls onMessage({ startLine, headers, body }) once per complete
 * message, in order. headers are lower-cased names; body is a Buffer when keepBody is set, else null (skipped unread).
 */
export function messageReader(onMessage, { keepBody }) {
  let pending = Buffer.alloc(0); // bytes of a head not yet complete, or of a chunk-size line
  let message = null; // the message whose body is being read
  let bodyLeft = 0; // Content-Length bytes still to read, or bytes of the current chunk
  let chunkState = null; // chunked body: 'size' (reading a size line), 'data', 'data-end' (its CRLF), 'trailer'
  let parts = [];

  const finish = () => {
    onMessage({ ...message, body: keepBody ? Buffer.concat(parts) : null });
    message = null;
    chunkState = null;
    parts = [];
  };

  const take = (chunk, at, count) => {
    if (keepBody) parts.push(chunk.subarray(at, at + count));
    return at + count;
  };

  return function feed(chunk) {
    const data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    let at = 0;
    while (at < data.length) {
      if (message === null) {
        const end = data.indexOf('\r\n\r\n', at);
        if (end === -1) break;
        const [startLine, ...lines] = data.toString('latin1', at, end).split('\r\n');
        const headers = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        message = { startLine, headers };
        at = end + 4;
        if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
          chunkState = 'size';
        } else {
          bodyLeft = Number(headers['content-length'] ?? 0);
          if (bodyLeft === 0) finish();
        }
      } else if (chunkState === null || chunkState === 'data') {
        const count = Math.min(bodyLeft, data.length - at);
        at = take(data, at, count);
        bodyLeft -= count;
        if (bodyLeft > 0) continue;
        if (chunkState === null) finish();
        else chunkState = 'data-end';
      } else {
        // A line: a chunk's size, the CRLF after its data, or a trailer line (an empty one ends the message).
        const newline = data.indexOf('\n', at);
        if (newline === -1) break;
        const line = data.toString('latin1', at, newline).trim();
        at = newline + 1;
        if (chunkState === 'data-end') {
          chunkState = 'size';
        } else if (chunkState === 'trailer') {
          if (line === '') finish();
        } else {
          bodyLeft = parseInt(line, 16);
          chunkState = bodyLeft === 0 ? 'trailer' : 'data';
        }
      }
    }
    if (at < data.length) pending = Buffer.from(data.subarray(at));
  };
}
