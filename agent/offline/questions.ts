/** The clarifying questions, one per topic, in English and Korean. */
import type { Clarification, ClarificationTopic, Language } from './intent.ts';

type Asker = (detail: { options?: string[]; written?: string; app?: string }) => string;

const QUESTIONS: Readonly<Record<ClarificationTopic, Record<Language, Asker>>> = {
  intent: {
    en: () =>
      'What would you like to do? For example: find GPU prices in Seoul, deploy 3 VMs with ollama, list your MCIs, or stop one.',
    ko: () => '무엇을 할까요? 예: 서울 GPU 가격 찾기, ollama가 설치된 VM 3대 배포, MCI 목록 보기, MCI 중지.',
  },
  what: {
    en: () =>
      'What should I deploy, and where? For example: "2 VMs with 8 vCPU in Seoul" or "ollama on a GPU VM in Tokyo".',
    ko: () => '무엇을 어디에 배포할까요? 예: "서울에 8코어 VM 2대", "도쿄에 GPU VM 하나 띄우고 ollama 설치".',
  },
  target: {
    en: ({ options, written }) =>
      written !== undefined
        ? `I don't see an MCI named "${written}". Which one do you mean${list(options, 'en')}?`
        : `Which MCI do you mean${list(options, 'en')}?`,
    ko: ({ options, written }) =>
      written !== undefined
        ? `"${written}"라는 MCI가 없습니다. 어느 MCI를 말씀하시나요${list(options, 'ko')}?`
        : `어느 MCI를 말씀하시나요${list(options, 'ko')}?`,
  },
  node: {
    en: () => 'Which node do you mean?',
    ko: () => '어느 노드를 말씀하시나요?',
  },
  count: {
    en: () => 'How many nodes do you want?',
    ko: () => '몇 대가 필요하신가요?',
  },
  command: {
    en: () => 'Which command should I run? Put it in backticks, e.g. `nvidia-smi`.',
    ko: () => '어떤 명령을 실행할까요? 백틱으로 감싸 주세요. 예: `nvidia-smi`',
  },
  app: {
    en: ({ app, options }) =>
      app !== undefined
        ? `Should I install ${app} on an existing MCI${list(options, 'en')}, or deploy new VMs for it (where, how many)?`
        : 'Which app should I install?',
    ko: ({ app, options }) =>
      app !== undefined
        ? `${app}를 기존 MCI${list(options, 'ko')}에 설치할까요, 아니면 새 VM을 만들까요(어디에, 몇 대)?`
        : '어떤 앱을 설치할까요?',
  },
  budget: {
    en: () => 'Is that budget per hour or per month?',
    ko: () => '그 예산은 시간당인가요, 한 달 기준인가요?',
  },
  place: {
    en: () => 'How many nodes should go to each place?',
    ko: () => '각 지역에 몇 대씩 둘까요?',
  },
  name: {
    en: ({ written }) =>
      `"${written ?? ''}" can't be an MCI name: use lower-case letters, digits and "-" (e.g. "demo-1"). What should I call it?`,
    ko: ({ written }) =>
      `"${written ?? ''}"는 MCI 이름으로 쓸 수 없습니다. 영문 소문자, 숫자, "-"만 쓸 수 있어요(예: "demo-1"). 이름을 뭐라고 할까요?`,
  },
  scale: {
    en: () => 'Scale to how many nodes (or by how many)?',
    ko: () => '몇 대로(또는 몇 대만큼) 조정할까요?',
  },
};

function list(options: string[] | undefined, language: Language): string {
  if (options === undefined || options.length === 0 || options.length > 8) return '';
  return language === 'en' ? `: ${options.join(', ')}` : `(${options.join(', ')})`;
}

export function question(
  topic: ClarificationTopic,
  language: Language,
  detail: { options?: string[]; written?: string; app?: string } = {},
): Clarification {
  const clarification: Clarification = { topic, question: QUESTIONS[topic][language](detail) };
  if (detail.options !== undefined && detail.options.length > 0) clarification.options = detail.options;
  return clarification;
}
