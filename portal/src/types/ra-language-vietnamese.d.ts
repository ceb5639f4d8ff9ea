// ra-language-vietnamese (v3) ships plain CommonJS without type declarations.
declare module 'ra-language-vietnamese' {
  import type { TranslationMessages } from 'ra-core';
  const messages: TranslationMessages;
  export default messages;
}
