import { describe, expect, it } from 'vitest';
import {
  formatCallBrief,
  formatDetractorContext,
  formatEscalation,
  formatPlanReviewBrief,
  TOUCHPOINT_HISTORY_DAYS,
  touchpointHistorySince,
  type DetractorContext,
} from '../../functions/core/nps/detractor-context.ts';
import { aParisAccount, CLARA } from '../support/records.ts';

const TOM = { id: 'ct-tom', email: 'tom.durand@example.com', name: 'Tom Durand', role: 'user' } as const;
const answer = { eventId: 'evt-nps-7', contactId: TOM.id, score: 3, band: 'detractor', respondedAt: '2026-11-12T10:00:00+01:00', comment: 'Les rappels SMS partent en retard.' };

function context(overrides: Partial<DetractorContext> = {}): DetractorContext {
  return {
    account: aParisAccount({ mrr: 2_000, arr: 24_000, contacts: [CLARA, TOM] }),
    answer,
    answers: [answer],
    openRisks: [],
    touchpoints: [],
    escalation: [],
    escalationArr: 20_000,
    ...overrides,
  };
}

describe('the 360° context of a detractor answer (seed 003 step 1), in the detractor-context-review task', () => {
  it('given a user answering 3/10 with a comment, then it opens with the score, the local time of the answer and the comment', () => {
    const text = formatDetractorContext(context());
    expect(text.split('\n').slice(0, 2)).toEqual(['Detractor answer: 3/10 (detractor) on 2026-11-12 10:00', 'Comment: “Les rappels SMS partent en retard.”']);
  });

  it('given a user, then the respondent line gives their role, says they are not the champion, and names the champion', () => {
    expect(formatDetractorContext(context())).toContain('Respondent: Tom Durand, user; not the champion (the champion is Clara Petit)');
  });

  it('given the champion answering, then the respondent line says the detractor is the champion', () => {
    expect(formatDetractorContext(context({ answer: { ...answer, contactId: CLARA.id } }))).toContain(
      'Respondent: Clara Petit, champion: the detractor is the account’s champion',
    );
  });

  it('given a respondent the CRM does not know, then the line says so instead of guessing a role', () => {
    expect(formatDetractorContext(context({ answer: { ...answer, contactId: 'ct-ghost' } }))).toContain(
      'Respondent: contact ct-ghost, not among the account’s contacts in the CRM (role unknown)',
    );
  });

  it('given the account answered before, then its other answers are listed newest first, without this one', () => {
    const earlier = [
      { eventId: 'evt-nps-1', contactId: CLARA.id, score: 9, band: 'promoter', respondedAt: '2026-03-02T11:00:00+01:00' },
      { eventId: 'evt-nps-4', contactId: TOM.id, score: 5, band: 'detractor', respondedAt: '2026-09-01T09:15:00+02:00' },
    ];
    const text = formatDetractorContext(context({ answers: [answer, ...earlier] }));
    expect(text).toContain(
      [
        'Other NPS answers from this account:',
        '- 5/10 (detractor) on 2026-09-01 09:15 from Tom Durand (user)',
        '- 9/10 (promoter) on 2026-03-02 11:00 from Clara Petit (champion)',
      ].join('\n'),
    );
  });

  it('given no other answer, no open risk and no touchpoint, then each section says none', () => {
    const text = formatDetractorContext(context());
    expect(text).toContain('Other NPS answers from this account: none');
    expect(text).toContain('Open risks: none');
    expect(text).toContain('Last touchpoints: none');
  });

  it('given open risks, then each is listed with its origin and when it opened', () => {
    const text = formatDetractorContext(context({ openRisks: [{ kind: 'churn-risk', origin: 'nps', openedAt: '2026-11-12T10:00:02+01:00' }] }));
    expect(text).toContain('Open risks:\n- churn-risk, origin nps, opened 2026-11-12 10:00');
  });

  it('given seven touchpoints, then the five latest are listed, newest first, with whom, and the rest counted', () => {
    const touchpoints = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ channel: 'call' as const, contactId: CLARA.id, at: `2026-10-0${day}T14:00:00+02:00` }));
    const text = formatDetractorContext(context({ touchpoints: [...touchpoints, { channel: 'email', at: '2026-10-08T10:00:00+02:00' }] }));
    expect(text).toContain(
      [
        'Last touchpoints:',
        '- email on 2026-10-08 10:00',
        '- call with Clara Petit (champion) on 2026-10-07 14:00',
        '- call with Clara Petit (champion) on 2026-10-06 14:00',
        '- call with Clara Petit (champion) on 2026-10-05 14:00',
        '- call with Clara Petit (champion) on 2026-10-04 14:00',
        '- … and 3 earlier',
      ].join('\n'),
    );
  });

  it('given MRR and ARR, then both are given in euros; without ARR from the CRM, twelve months of MRR, said so', () => {
    expect(formatDetractorContext(context())).toContain('Revenue: MRR 2 000 €, ARR 24 000 €');
    const { arr: _arr, ...withoutArr } = aParisAccount({ mrr: 1_234.5, contacts: [CLARA, TOM] });
    expect(formatDetractorContext(context({ account: withoutArr }))).toContain('Revenue: MRR 1 234.50 €, ARR 14 814 € (12 × MRR)');
  });

  it('given no escalation, then the context says why not; given one, it says why', () => {
    expect(formatDetractorContext(context())).toContain('Not escalated: ARR below 20 000 € and the respondent is not the champion');
    expect(formatDetractorContext(context({ escalation: ['arr'] }))).toContain('Escalated to the team lead: ARR 24 000 € ≥ 20 000 €');
  });

  it('given a reason to escalate but no team lead on the account, then the context says the escalation is warranted and why no team lead has it', () => {
    const { teamLeadId: _lead, ...withoutLead } = aParisAccount({ mrr: 2_000, arr: 24_000, contacts: [CLARA, TOM] });
    const text = formatDetractorContext(context({ account: withoutLead, escalation: ['arr'] }));
    expect(text).toContain('Not escalated: ARR 24 000 € ≥ 20 000 €, but the account has no team lead on record');
    expect(text).not.toContain('Escalated to the team lead');
  });

  it('given a comment of 2 000 characters, then it is cut to 500 so the context stays readable', () => {
    const text = formatDetractorContext(context({ answer: { ...answer, comment: 'x'.repeat(2_000) } }));
    expect(text.split('\n')[1]).toHaveLength('Comment: “”'.length + 500);
  });
});

describe('the touchpoints the context looks back on', () => {
  it('given an answer, then the last touchpoints are read from a year before it', () => {
    expect(TOUCHPOINT_HISTORY_DAYS).toBe(365);
    expect(touchpointHistorySince('2026-11-12T10:00:00+01:00')).toBe('2025-11-12T09:00:00.000Z');
  });
});

describe('the other texts of a detractor answer', () => {
  it('given an escalation by ARR and champion, then the team lead’s copy starts with both reasons, then the context', () => {
    const text = formatEscalation(context({ answer: { ...answer, contactId: CLARA.id }, escalation: ['arr', 'champion'] }));
    expect(text.split('\n')[0]).toBe('Escalated to you: ARR 24 000 € ≥ 20 000 €; the respondent is the account’s champion.');
    expect(text).toContain('Detractor answer: 3/10');
  });

  it('given the call brief, then it names whom to call and asks for a call, not an e-mail', () => {
    expect(formatCallBrief(context())).toMatch(/^Call Tom Durand \(user\) about their 3\/10 NPS answer of 2026-11-12 10:00: .* A call or a meeting, not an e-mail\./);
  });

  it('given the plan review brief, then it recalls the answer and that closing the risk ends the survey suppression', () => {
    expect(formatPlanReviewBrief(context())).toContain('close the churn risk: NPS surveys to the account stay suppressed until then');
  });
});
