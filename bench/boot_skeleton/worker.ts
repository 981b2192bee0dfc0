/**
 * The skeleton's guest (see `parent.ts`): prints hello and closes.
 *
 * @module
 */
self.onmessage = () => {
  console.log("hello");
  self.close();
};
