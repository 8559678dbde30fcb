// Browser side of the persistence benchmark (plain JS, injected into a page): writes vectors to
// IndexedDB as the app's CorpusRepo does (one VectorBatchRecord per readwrite transaction, awaited in
// turn, same store and indexes as src/lib/store/db.ts) and reads them back as loadVectors does.
window.benchIdbRoundtrip = async function ({ n, dim, batch, repeats }) {
  const MODEL = 'files:bench-model';
  const request = (req) => new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const done = (tx) => new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  const openReq = indexedDB.open(`bench-vectors-${batch}`, 1);
  openReq.onupgradeneeded = () => {
    const vectors = openReq.result.createObjectStore('vectors', { keyPath: 'key', autoIncrement: true });
    vectors.createIndex('by-article', 'articlePath');
    vectors.createIndex('by-model', 'modelKey');
  };
  const db = await request(openReq);

  // 1. The records, prepared untimed; each owns its Float32Array as the app's do.
  const records = [];
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const vectors = new Float32Array(count * dim);
    for (let i = 0; i < vectors.length; i++) vectors[i] = Math.random() - 0.5;
    const chunkIds = Array.from({ length: count }, (_, i) => `c_${(start + i).toString(36).padStart(8, '0')}`);
    records.push({ articlePath: `guide-${records.length}.md`, modelKey: MODEL, chunkIds, dim, vectors });
  }

  const writes = [];
  const reads = [];
  for (let r = 0; r <= repeats; r++) {
    const clear = db.transaction('vectors', 'readwrite');
    clear.objectStore('vectors').clear();
    await done(clear);
    // 2. Write: CorpusRepo.putVectors, one batch at a time.
    let start = performance.now();
    for (const record of records) {
      const tx = db.transaction('vectors', 'readwrite');
      tx.objectStore('vectors').add(record);
      await done(tx);
    }
    const write = performance.now() - start;
    // 3. Read: CorpusRepo.loadVectors, every batch of the model concatenated.
    start = performance.now();
    const batches = await request(db.transaction('vectors').objectStore('vectors').index('by-model').getAll(MODEL));
    const total = batches.reduce((sum, b) => sum + b.chunkIds.length, 0);
    const all = new Float32Array(total * dim);
    const ids = [];
    for (const b of batches) {
      all.set(b.vectors, ids.length * dim);
      ids.push(...b.chunkIds);
    }
    const read = performance.now() - start;
    if (ids.length !== n) throw new Error(`read back ${ids.length} vectors, expected ${n}`);
    // The first round is the warm-up.
    if (r > 0) {
      writes.push(write);
      reads.push(read);
    }
  }
  db.close();
  await request(indexedDB.deleteDatabase(`bench-vectors-${batch}`));
  return { writes, reads };
};
