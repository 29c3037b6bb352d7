// Writes the tray icons (resources/tray-running.png, tray-stopped.png, tray-busy.png) and the app
// icon (resources/icon.png) as plain PNGs with zlib: a filled disc with a soft edge, no image library.
import { deflateSync } from "node:zlib";
import { writeFileSync, mkdirSync } from "node:fs";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** pixel(x, y) → [r, g, b, a] */
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel(x + 0.5, y + 0.5), 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const disc =
  (size, [r, g, b], ring = null) =>
  (x, y) => {
    const c = size / 2;
    const d = Math.hypot(x - c, y - c);
    const outer = size * 0.44;
    const alpha = Math.max(0, Math.min(1, outer - d + 0.5));
    if (ring && d < size * 0.2) return [...ring, Math.round(alpha * 255)];
    return [r, g, b, Math.round(alpha * 255)];
  };

mkdirSync("resources", { recursive: true });
const icons = {
  "tray-running.png": disc(32, [34, 197, 94]),
  "tray-stopped.png": disc(32, [100, 116, 139]),
  "tray-busy.png": disc(32, [245, 158, 11]),
};
for (const [name, pixel] of Object.entries(icons)) writeFileSync(`resources/${name}`, png(32, pixel));
writeFileSync("resources/icon.png", png(256, disc(256, [37, 99, 235], [255, 255, 255])));
console.log("wrote resources/tray-*.png and resources/icon.png");
