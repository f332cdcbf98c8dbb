// Small, believable files for the demo sets that drills restore: a few KB each, deterministic.

/** One file of a demo set. */
export type DemoFile = { path: string; data: Buffer };

const PRODUCTS = ['teapot', 'mug', 'kettle', 'saucer', 'tray', 'spoon', 'strainer', 'cosy'];

function sqlDump(kind: string, time: number, random: () => number): string {
  const rows = kind === 'full' ? 60 : kind === 'diff' ? 25 : 8;
  const lines = [
    `-- demo orders-db ${kind} backup taken ${new Date(time).toISOString()}`,
    kind === 'full'
      ? 'CREATE TABLE orders (id bigint PRIMARY KEY, product text, quantity int, cents int, placed timestamptz);'
      : `-- changes since the parent set`,
  ];
  for (let i = 0; i < rows; i++) {
    const id = Math.floor(time / 60_000) * 100 + i;
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)] ?? 'teapot';
    const placed = new Date(time - Math.floor(random() * 3_600_000)).toISOString();
    lines.push(
      `INSERT INTO orders VALUES (${id}, '${product}', ${1 + Math.floor(random() * 4)}, ${500 + Math.floor(random() * 9500)}, '${placed}');`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function svg(label: string, hue: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120"><rect width="240" height="120" fill="hsl(${hue},45%,40%)"/><text x="16" y="68" font-family="sans-serif" font-size="20" fill="#fff">${label}</text></svg>\n`;
}

/** The files of one demo set; paths are relative to the set's folder. */
export function demoPayload(
  service: string,
  kind: string,
  time: number,
  random: () => number,
): DemoFile[] {
  const when = new Date(time).toISOString();
  if (service === 'orders-db') {
    return [
      { path: 'orders.sql', data: Buffer.from(sqlDump(kind, time, random)) },
      {
        path: 'backup_label',
        data: Buffer.from(`START TIME: ${when}\nLABEL: dapple-demo ${kind}\n`),
      },
    ];
  }
  if (service === 'uploads') {
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)] ?? 'teapot';
    const csv = [
      'key,bytes,uploaded',
      ...PRODUCTS.map((p, i) => `images/${p}.svg,${1800 + i * 37},${when}`),
    ].join('\n');
    return [
      {
        path: `images/${product}.svg`,
        data: Buffer.from(svg(product, Math.floor(random() * 360))),
      },
      { path: 'index.csv', data: Buffer.from(`${csv}\n`) },
    ];
  }
  const terms = PRODUCTS.map((p) => ({ term: p, docs: 1 + Math.floor(random() * 400) }));
  return [
    {
      path: 'segments.json',
      data: Buffer.from(`${JSON.stringify({ builtAt: when, terms }, null, 2)}\n`),
    },
  ];
}
