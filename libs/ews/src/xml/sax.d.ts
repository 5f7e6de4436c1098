/**
 * The part of sax's API the EWS parser uses (sax ships no types; it is the parser under xml2js,
 * at the same version). Strict mode with namespaces: every tag and attribute carries its
 * resolved URI and local name.
 */
declare module 'sax' {
  export interface QualifiedAttribute {
    readonly name: string;
    readonly value: string;
    readonly prefix: string;
    readonly local: string;
    readonly uri: string;
  }

  export interface QualifiedTag {
    readonly name: string;
    readonly prefix: string;
    readonly local: string;
    readonly uri: string;
    readonly attributes: Readonly<Record<string, QualifiedAttribute>>;
    readonly isSelfClosing: boolean;
  }

  export interface SAXParser {
    onopentag: (tag: QualifiedTag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (error: Error) => void;
    write(chunk: string): SAXParser;
    close(): SAXParser;
  }

  export function parser(
    strict: true,
    options: { xmlns: true; trim?: false; normalize?: false; position?: boolean },
  ): SAXParser;
}
