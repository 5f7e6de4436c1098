import { AnchorBook, anchorRefusalOf } from './anchor-choice';

describe('anchorRefusalOf', () => {
  it('reads the refusals that mean "this anchor cannot be used"', () => {
    expect(
      anchorRefusalOf({
        kind: 'httpError',
        status: 403,
        code: 'ErrorAccessDenied',
        message: 'Access to OData is disabled.',
      }),
    ).toBe('outOfScope');
    expect(
      anchorRefusalOf({
        kind: 'httpError',
        status: 404,
        code: 'MailboxNotEnabledForRESTAPI',
        message: 'REST API is not yet supported for this mailbox.',
      }),
    ).toBe('notRestEnabled');
    expect(anchorRefusalOf({ kind: 'httpError', status: 404, code: 'ErrorInvalidUser' })).toBe(
      'notAUser',
    );
  });

  it('leaves a 403 for a missing permission to the caller (misconfiguration, not the anchor)', () => {
    expect(
      anchorRefusalOf({
        kind: 'httpError',
        status: 403,
        code: 'ErrorAccessDenied',
        message: 'Access is denied. Check credentials and try again.',
      }),
    ).toBeUndefined();
    expect(anchorRefusalOf({ kind: 'httpError', status: 429 })).toBeUndefined();
    expect(anchorRefusalOf({ kind: 'answered', schedules: [] })).toBeUndefined();
  });
});

describe('AnchorBook', () => {
  const book = (configured?: string) =>
    new AnchorBook({ configured, refusedTtlMs: 60_000, refusedMaxEntries: 100 });

  it('offers the schedules themselves, first first, when no anchor is configured', () => {
    expect(book().candidatesFor(['a@x.com', 'b@x.com'])).toEqual(['a@x.com', 'b@x.com']);
  });

  it('offers only GRAPH_ANCHOR_MAILBOX when it is configured', () => {
    expect(book('anchor@x.com').candidatesFor(['a@x.com', 'b@x.com'])).toEqual(['anchor@x.com']);
  });

  it('skips anchors Graph refused lately and adds the last one it accepted', () => {
    const anchors = book();
    anchors.refuse('A@x.com', 'outOfScope');
    anchors.accept('good@x.com');
    expect(anchors.candidatesFor(['a@x.com', 'b@x.com'])).toEqual(['b@x.com', 'good@x.com']);
    expect(anchors.refusalOf('a@X.com')).toBe('outOfScope');
    // The accepted one is not offered twice.
    expect(anchors.candidatesFor(['good@x.com'])).toEqual(['good@x.com']);
  });

  it('forgets an accepted anchor that Graph later refuses', () => {
    const anchors = book();
    anchors.accept('good@x.com');
    anchors.refuse('good@x.com', 'notRestEnabled');
    expect(anchors.candidatesFor(['a@x.com'])).toEqual(['a@x.com']);
  });
});
