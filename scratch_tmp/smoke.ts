import { decodeCartridgeImage, encodeCartridgeImage } from "/work/wt-pixel/mod.ts";
for (const n of [0, 1, 2, 3, 100, 65536, 1 << 20]) {
  const p = new Uint8Array(n); for (let i = 0; i < n; i++) p[i] = (i * 31 + (i >> 7)) & 255;
  const png = await encodeCartridgeImage(p, { label: { title: "Hello Pixel World", subtitle: "hello 1.0.0" } });
  const d = await decodeCartridgeImage(png);
  console.log(n, png.length, d.width, d.height, JSON.stringify(d.dataRegion), d.payload.length === n && d.payload.every((v, i) => v === p[i]), (n / d.capacityBytes).toFixed(4));
  if (n === 65536) Deno.writeFileSync("/tmp/cart64k.png", png);
}
