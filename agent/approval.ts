/**
 * Is this short reply a yes or a no to the pending plan? Only clear, short answers count: anything
 * longer ("yes but make it 5") goes to the planner as a new request.
 */
const YES = [
  'y',
  'yes',
  'yeah',
  'yep',
  'yup',
  'sure',
  'ok',
  'okay',
  'go',
  'go ahead',
  'do it',
  'proceed',
  'approve',
  'approved',
  'confirm',
  'confirmed',
  'sounds good',
  'looks good',
  'lgtm',
  'please do',
  'yes please',
  'ship it',
  '응',
  '어',
  '네',
  '예',
  '넵',
  '네네',
  '좋아',
  '좋아요',
  '좋습니다',
  '그래',
  '그래요',
  '진행',
  '진행해',
  '진행해줘',
  '진행해주세요',
  '진행하세요',
  '해줘',
  '해주세요',
  '확인',
  '승인',
  '오케이',
  'ㅇㅇ',
  'ㅇㅋ',
  '고',
  'ㄱㄱ',
  '콜',
];
const NO = [
  'n',
  'no',
  'nope',
  'nah',
  'cancel',
  'stop',
  'abort',
  'reject',
  'rejected',
  'deny',
  "don't",
  'do not',
  'never mind',
  'nevermind',
  'no thanks',
  'not now',
  '아니',
  '아니요',
  '아니오',
  '아뇨',
  '싫어',
  '취소',
  '취소해',
  '취소해줘',
  '그만',
  '하지마',
  '하지 마',
  '중지',
  '거절',
  'ㄴㄴ',
  '됐어',
  '안 해',
  '안해',
];

function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.!?~,;:\s]+$/u, '')
    .replace(/^[\s,]+/u, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

const YES_SET = new Set(YES);
const NO_SET = new Set(NO);

/** true = approve, false = reject, undefined = not a plain answer. */
export function approvalAnswer(text: string): boolean | undefined {
  const normalised = normalise(text);
  if (normalised.length === 0 || normalised.length > 24) return undefined;
  if (YES_SET.has(normalised)) return true;
  if (NO_SET.has(normalised)) return false;
  return undefined;
}
