/**
 * understand(text, context): what a sentence asks for, or one clarifying question.
 *
 * Steps: prepare the text (quotes aside, numbers as digits) → set aside injected instructions →
 * short answers (yes/no) → entities (entities.ts) → intent cues per intent in both languages → a
 * decision with priority rules → the intent's fields, checked for what is essential.
 */

import { type CountMention, type Entities, extractEntities } from './entities.ts';
import type {
  AppRequest,
  ClarificationTopic,
  ControlAction,
  ConversationContext,
  DeployIntent,
  Distribution,
  Flags,
  Intent,
  IntentKind,
  Language,
  McisTarget,
  NodeRequirements,
  Placement,
  Preference,
  ProviderFilter,
  ScaleIntent,
  SearchSpecsIntent,
  Understanding,
} from './intent.ts';
import { type LocatedPlace, placesIn } from './places.ts';
import { question } from './questions.ts';
import { resolveTarget, type TargetResult } from './targets.ts';
import { blank, type PreparedText, prepareText, regex, stripParticle, type Word, wordsOf } from './text.ts';
import { catalogRegions } from './vocabulary.ts';

// ---------------------------------------------------------------------------------------------
// Cues: words that say what kind of thing is asked, English and Korean.
// ---------------------------------------------------------------------------------------------

const CUES = {
  create:
    /\b(?:deploy|create|launch|spin(?:ning)?\s*(?:up|me)|provision|set\s*up|setup|stand\s*up|bring\s*up|fire\s*up|boot\s*up|start\s*up|build|make\s+(?:me\s+)?(?:a|an|\d)|set\s+(?:me|us)\s+up|hook\s+(?:me|us)\s+up|get\s+(?:\S+\s+){1,5}?(?:running|up|going|online)|(?:^|[.,;!?])\s*(?:so\s+|hey\s+|hi\s+|ok\s+)?(?:can|could|may)\s+(?:i|we)\s+(?:get|have|grab)|i(?:'d|\s+would)\s+like|(?:give|get)\s+(?:me|us)(?!\s+(?:the\s+|a\s+|an\s+)?(?:details?|status|info|information|list|prices?|overview|summary|costs?|quote|estimate|rundown))|i\s+need|i\s+want|we\s+need|need|want|allocate|rent|host|deployment\s+of)\b|만들|생성|띄워|띄우|띄어|띄울|배포|구축|프로비저닝|세팅|셋업|구성해|준비해|필요해|필요함|필요한데|(?<!지)원해|만드|(?<!다시\s*)올려\s*줘|(?<!다시\s*)올려봐|(?<!다시\s*)올리고/,
  install:
    /\b(?:install|put|add|deploy|set\s*up|get)\b|설치(?!\s*(?:돼|되어|됐|된|되)\s*있)|깔아|깔고|깔기|올려|추가|붙여|붙이/,
  run: /\b(?:run|execute|exec)\b|실행|돌려|수행|돌리|명령\S*\s*(?:을|를)?\s*(?:날려|보내|쳐)/,
  list: /(?:내|우리|제)\s*(?:인프라|mci|클러스터|서버|vm)|\b(?:anything|something)\s+running\b|\bwhat(?:'s|\s+is|\s+do\s+i\s+have|\s+have\s+i\s+got|\s+are)\s+(?:\w+\s+)?running\b|\bwhat\s+do\s+(?:i|we)\s+have\b|\b(?:everything|all)\s+(?:that\s+)?(?:i|we)(?:'ve|\s+have)?\s+(?:got\s+)?(?:running|up|deployed|out\s+there)\b|\bwhat\s+am\s+i\s+(?:paying|being\s+billed|billed)\s+for\b|\brundown\b|\bmy\s+(?:stuff|things|resources|machines|boxes)\b|\b(?:list|show|display|what|which|see|view|get|how\s+many)\b.*\b(?:mcis|clusters|infras?|deployments|vms|servers|instances|nodes|mci)\b|\bmy\s+(?:mcis|clusters|vms|servers|instances|deployments|infra)\b|\bmcis\b|목록|리스트|뭐\s*(?:가\s*)?있|뭐\s*(?:가\s*)?(?:돌아가|실행\s*중|떠\s*있|켜져)|뭐뭐|어떤\s*(?:mci|클러스터|서버|vm).*있|전부\s*보여|다\s*보여|현황/,
  status:
    /\bis\s+(?:\S+\s+)?installed\b|\bdoes\s+\S+\s+have\b|깔려\s*있|설치\s*(?:돼|되어|된)\s*있|\b(?:status|state|health|healthy|how\s+is|how's|hows|how\s+are|check\s+on|details?|describe|info|information|up\s+and\s+running|is\s+\S+\s+(?:running|up|ok|alive|ready)|show\s+me|show|look\s+at|get)\b|상태|어때|괜찮|문제\s*없|정상이|멀쩡|어떻게\s*(?:돼|되|됐)|확인|정보|상세|살아\s*있|잘\s*돌아|보여/,
  scale:
    /\b(?:scale|scaling|resize|grow|shrink|increase|decrease|reduce|expand|downsize|upsize|bump)\b|\b(?:up|down)\s+to\s+\d|\b(?:take|bring|set|size|cut|trim)\b.*\bto\s+\d+(?:\s+(?:nodes?|vms?|servers?|instances?|machines?))?\s*[.!?]*\s*$|\badd\s+\d+\s+(?:more\b|(?:to|into)\s)|\badd\s+\d+(?:\s+more)?\s+(?:nodes?|vms?|servers?|instances?|machines?|boxes|workers?)|\b(?:remove|drop|take\s+(?:away|out|off))\s+\d+\b(?!\s*(?:%|gb|gib|vcpus?|cores?|gpus?))|\btake\s+\d+\s+(?:\S+\s+)?(?:out|off|away)\b|\b(?:double|triple|quadruple|halve)\b|\bcut\s+(?:\S+\s+)?in\s+half\b|\b(?:twice|\d+\s*(?:x|times))\s+as\s+(?:many|big|large)\b|\d+\s*배|(?:절반|반)\s*(?:으로|만)|늘려|늘리|늘릴|키워|키우|키울|줄여|줄이|줄일|스케일|확장|축소|증설|감축|\d+\s*(?:대|개|노드)?\s*(?:만|을|를)?\s*(?:더|추가|빼|제거)/,
  suspend:
    /\b(?:suspend|stop|pause|shut\s*down|shutdown|power\s*off|turn\s*off|halt|hibernate|park|freeze)\b|\bput\s+(?:\S+\s+){0,3}?on\s+(?:hold|ice|pause)\b|\btake\s+(?:\S+\s+){0,3}?offline\b|쉬게\s*(?:해|하)|재워|잠재워|\b(?:turn|shut|power)\s+(?:\S+\s+){1,2}?(?:off|down)\b|중지|정지|멈춰|멈추|일시\s*정지|꺼\s*줘|꺼줘|끄고|꺼\s*놔|꺼놔|끄기|꺼|셧다운|스톱/,
  resume:
    /\b(?:resume|start|unpause|power\s*on|turn\s*on|(?:turn|switch|power)\s+\S+\s+(?:back\s+)?on|wake(?:\s*up)?|bring\s+(?:\S+\s+){0,3}back|back\s+(?:up|online))\b|재개|다시\s*(?:시작|켜|가동|실행|올려|살려|돌려|돌리)|켜\s*줘|켜줘|켜|시작|재가동|깨워/,
  reboot:
    /\b(?:reboot|restart|bounce|power\s*cycle|cycle)\b|재부팅|재시작|리부트|리부팅|껐다\s*(?:가\s*)?켜|다시\s*부팅/,
  terminate: /\b(?:terminate|kill)\b|종료|터미네이트|종료시켜/,
  delete:
    /\b(?:delete|remove|destroy|tear\s*(?:it\s*|them\s*)?down|tear(?=\s+(?:\S+\s+){1,3}?down\b)|teardown|get\s+rid\s+of|drop|nuke|clean\s*up|wipe|decommission|deprovision|trash|erase)\b|삭제|지워|지우|지울|없애|없앨|제거|날려|치워|정리해|폐기/,
  search:
    /\b(?:find|search|look\s*up|lookup|compare|comparison|show|list|which|what(?:'s|\s+is|\s+are)?|recommend|suggest|options?|prices?|pricing|specs?|available|offers?|best|top)\b|찾아|찾기|검색|비교|추천|알려|조회|보여|어디가|뭐가|어느|가격|스펙|사양|목록|리스트/,
  estimate:
    /\bhow\s+much\b|\bwhat'?s\s+the\s+damage\b|\bcosts?\b|\bcost\s+me\b|\bestimate\b|\bquote\b|\bprice\s+(?:of|for)\b|\bwhat\s+would\b.*\bcost\b|\bbudget\s+for\b|얼마|비용|요금|견적|(?:돈|비용|요금)\s*(?:이|은)?\s*(?:들|드|나오|나올)/,
  cancelOperation:
    /\bcancel\s+(?:the\s+|that\s+|this\s+)?(?:operation|op|deployment|creation|job|task|install(?:ation)?|scal(?:e|ing)|request)\b|\babort\s+(?:the\s+)?(?:operation|deployment|creation|job|task)\b|\bstop\s+(?:the\s+)?(?:operation|creation|deployment|installation)\b|(?:작업|생성|배포|설치|오퍼레이션|진행\s*중인\s*(?:작업|거))\s*(?:을|를)?\s*(?:취소|중단|멈춰)/,
  operationStatus:
    /\b(?:progress|how(?:'s|\s+is)\s+(?:it|the\s+(?:deployment|operation|creation|install(?:ation)?))\s+going|operation\s+status|is\s+it\s+done|done\s+yet|finished\s+yet)\b|진행\s*(?:상황|상태|률)|어디까지|다\s*됐|얼마나\s*됐|작업\s*상태|끝났/,
  listApps:
    /\b(?:apps|applications|recipes)\b.*\b(?:available|install|support|offer|have|can|list)\b|\b(?:what|which)\s+(?:apps|applications|software|recipes)\b|\blist\s+(?:the\s+)?(?:apps|applications|recipes)\b|(?:설치\s*(?:가능한|할\s*수\s*있는)|지원하는|쓸\s*수\s*있는)\s*(?:앱|애플리케이션|어플|소프트웨어|프로그램)|(?:앱|애플리케이션|어플|소프트웨어)\s*(?:은|는|이|가)?\s*(?:목록|리스트|뭐|뭘|어떤|무슨|지원)|(?:어떤|무슨)\s*(?:앱|애플리케이션|어플|소프트웨어)/,
  help: /^\s*(?:help|\?|commands?|usage)\s*[!?.]*\s*$|\b(?:what\s+can\s+you\s+do|how\s+do\s+i\s+use|how\s+does\s+this\s+work|what\s+do\s+you\s+do|help\s+me|can\s+you\s+help)\b|도움말|도움|도와|뭘\s*할\s*수|뭐\s*할\s*수|뭐\s*해\s*줄\s*수|사용법|어떻게\s*써|기능/,
  greeting:
    /^\s*(?:(?:hi|hello|hey|yo|hiya|howdy|good\s+(?:morning|afternoon|evening)|greetings)\b|안녕|하이|헬로|반가워|반갑)/,
  amend:
    /\b(?:instead|actually|rather|make\s+it|change\s+(?:it|that|the)|switch\s+to|also|too|as\s+well|plus|and\s+also|swap|update\s+(?:it|the\s+plan)|use)\b|대신|바꿔|바꾸|변경|로\s*해|으로\s*해|도\s*(?:설치|깔|추가|넣)|말고|그리고\s*또|로\s*하자|으로\s*하자/,
  reference:
    /\b(?:that|it|those|them|the\s+(?:first|second|cheapest|top|last|same)(?:\s+one)?|this\s+one|that\s+one)\b|그걸로|그거|그것|이걸로|이거|첫\s*번째|맨\s*위|그\s*스펙|그\s*사양/,
} as const;

type Cue = keyof typeof CUES;

function cueAt(text: string, cue: Cue): number {
  const match = CUES[cue].exec(text);
  return match === null ? -1 : match.index;
}

// ---------------------------------------------------------------------------------------------
// Injected instructions and short answers
// ---------------------------------------------------------------------------------------------

/** Attempts to change the rules: the rest of that sentence is not obeyed. */
const OVERRIDE =
  /\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|your\s+|the\s+|my\s+|previous\s+|prior\s+|above\s+|earlier\s+|these\s+|those\s+|of\s+)*(?:rules?|instructions?|prompts?|guidelines?|guardrails?|safety|restrictions?|constraints?|polic(?:y|ies)|directions?|system)\b|\bsystem\s*prompt\b|\byou\s+are\s+now\b|\bnew\s+instructions?\b|\bdeveloper\s+mode\b|\bjailbreak\b|\bas\s+an?\s+admin(?:istrator)?\b|(?:규칙|지시|지침|명령|안전\s*장치|제한|룰|프롬프트)(?:을|를|은|는|들)?\s*(?:다\s*|전부\s*|모두\s*)?(?:무시|잊어)|시스템\s*프롬프트|이전\s*(?:지시|명령)/;
/** Attempts to skip the confirmation: the phrase is dropped, the request stands and is still confirmed. */
const BYPASS =
  /\b(?:without\s+(?:asking|confirmation|confirming|approval|checking)|(?:do\s+not|don'?t|never)\s+(?:ask|confirm|check)(?:\s+(?:me|first))?|no\s+(?:need\s+to\s+)?confirm(?:ation)?|no\s+questions?\s+asked|skip\s+(?:the\s+)?confirm(?:ation)?)\b|(?:확인|승인|컨펌)\s*(?:없이|하지\s*말고|안\s*하고|받지\s*말고|생략)|묻지\s*(?:말고|마)|물어보지\s*(?:말고|마)/g;

function setAsideInjection(prepared: PreparedText): { prepared: PreparedText; injection: boolean } {
  let { masked, lower } = prepared;
  let injection = false;
  for (const match of lower.matchAll(BYPASS)) {
    injection = true;
    masked = blank(masked, match.index, match.index + match[0].length);
    lower = blank(lower, match.index, match.index + match[0].length);
  }
  const override = OVERRIDE.exec(lower);
  if (override !== null) {
    injection = true;
    // From the start of the clause holding the override to the end of its sentence.
    const clauseStart = Math.max(
      ...['.', '!', '?', '\n', ',', ';', ':'].map((mark) => lower.lastIndexOf(mark, override.index) + 1),
    );
    const afterEnd = /[.!?\n]/.exec(lower.slice(override.index + override[0].length));
    const end = afterEnd === null ? lower.length : override.index + override[0].length + afterEnd.index + 1;
    masked = blank(masked, clauseStart, end);
    lower = blank(lower, clauseStart, end);
  }
  // Quoted text is data; an override inside quotes changes nothing but is worth flagging.
  if (prepared.quotes.some((quote) => OVERRIDE.test(quote.text.toLowerCase()))) injection = true;
  return { prepared: { ...prepared, masked, lower }, injection };
}

const CONFIRM_WORDS =
  /^(?:yes\s+please|yes|ya|yeah|yep|yup|sure|ok(?:ay)?|k|kk|fine|alright|all\s+right|go\s+ahead|go\s+for\s+it|go|do\s+it|proceed|confirm(?:ed)?|approve(?:d)?|sounds\s+good|looks\s+good|lgtm|let'?s\s+go|let'?s\s+do\s+it|ship\s+it|please\s+do|correct|right|perfect|great|응|웅|어|네|넵|넹|예|옙|좋아요|좋습니다|좋아|그래요|그래|그렇게\s*해(?:줘|주세요)?|진행\s*(?:해\s*(?:줘|주세요)?|하세요|시켜)?|고고|ㄱㄱ|ㄱ|ㅇㅇ|ㅇㅋ|오케이|콜|확인|승인|맞아요|맞아|해\s*주세요|해\s*줘|부탁해요|부탁해|부탁합니다|실행해|그대로|고)(?=\s|$)\s*/;
const REJECT_WORDS =
  /^(?:no\s+thanks|nope|nah|no|n|cancel(?:\s+(?:it|that))?|stop|abort|never\s*mind|nevermind|forget\s+it|don'?t|do\s+not|not\s+now|hold\s+on|wait|아니요|아니오|아니야|아니|아뇨|노|취소\s*(?:해\s*(?:줘|주세요)?|할게)?|그만\s*(?:해)?|됐어요|됐어|됐습니다|하지\s*마(?:세요)?|하지\s*말아|ㄴㄴ|ㄴ|안\s*해|안\s*돼|필요\s*없어|싫어요|싫어|잠깐|멈춰|no\s+way)(?=\s|$)\s*/;

/** The whole message is one or more words of yes (or of no): "Sure, do it!", "응 진행해", "nope, cancel". */
function shortAnswer(lower: string): 'confirm' | 'reject' | undefined {
  const trimmed = lower
    .replace(/[.!?~,…^]+|ㅋㅋ+|ㅎㅎ+/g, ' ')
    .replace(/\b(?:please|thanks|thank\s+you|pls)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (trimmed === '' || trimmed.length > 40) return undefined;
  for (const [answer, words] of [
    ['confirm', CONFIRM_WORDS],
    ['reject', REJECT_WORDS],
  ] as const) {
    let remaining = trimmed;
    let matched = false;
    for (let step = 0; step < 6 && remaining !== ''; step++) {
      const match = words.exec(remaining);
      if (match === null || match[0] === '') break;
      remaining = remaining.slice(match[0].length);
      matched = true;
    }
    if (matched && remaining === '') return answer;
  }
  return undefined;
}

/**
 * An action the sentence forbids rather than asks for: "don't delete demo", "never stop gpu-lab",
 * "don't build anything", "I don't want to pay for it", "만들지는 말고", "nginx는 설치하지 마".
 */
const NEGATED_ACTION_EN =
  /\b(?:don'?t|do\s+not|never|please\s+don'?t|no\s+need\s+to)\s+(?:\w+\s+){0,2}?(?:delete|remove|destroy|stop|suspend|terminate|kill|scale|run|execute|reboot|restart|deploy|create|install|tear|shut|touch|build|make|launch|provision|spin|set\s+up|buy|start|spend|change|(?:want|need)\s+to)\b/g;
const NEGATED_ACTION_KO =
  /(?:삭제|지우|지워|없애|중지|정지|종료|재부팅|재시작|꺼|끄|실행|배포|설치|만들|만드|띄우|띄워|생성|구축|늘리|줄이|건드리|건드)\S*?\s*(?:하)?지\s*(?:는|도|만)?\s*(?:마|말)\S*|(?:만들|만드|배포|생성|띄우|띄울|설치)\S*\s*(?:필요\s*(?:는|가)?\s*없|안\s*해도)\S*/g;
/** "don't want Azure", "don't need a GPU": the verb goes, so "want" asks for nothing and the object reads as excluded. */
const NEGATED_WISH = /\b(?:don'?t|do\s+not|never)\s+(?:really\s+)?(want|need|like)\b(?!\s+to\b)/g;
/** "I don't care which city", "어느 도시든 상관없어": no requirement, and no question either. */
const INDIFFERENT =
  /\b(?:i\s+)?(?:don'?t|do\s+not)\s+(?:really\s+)?care\s+(?:which|where|what|about)\b[^.,;!?]*|\b(?:any|whichever|whatever)\s+(?:city|region|zone|location|place|provider|cloud)\s+(?:is\s+)?(?:fine|ok|okay|works)\b|(?:어느|아무)\s*(?:도시|지역|리전|곳|나라|데|클라우드)(?:이)?(?:든지?|라도)\s*(?:상관\s*없\S*|괜찮\S*)?|어디(?:든지?|라도)\s*(?:상관\s*없\S*|괜찮\S*)?/g;
/** "the fastest machine you can find", "the cheapest I can get": emphasis on a superlative, no search verb. */
const SUPERLATIVE_TAIL =
  /(?<=\b(?:cheapest|fastest|best|biggest|smallest|strongest|closest|nearest)\b(?:\s+[\w.-]+){0,4}?)\s+(?:that\s+|which\s+)?(?:you|i|we)\s+(?:can|could)\s+(?:possibly\s+)?(?:find|get|buy|rent)\b/g;
/** Korean clauses end at punctuation or at a connective ending ("만들고", "띄워서", "있는데"). */
const KOREAN_CLAUSE_END = /[.;!?,\n]|[가-힣](?:고|서|며|는데|지만|니까)\s/g;

/**
 * Sets aside what the sentence says not to do, so only what it asks for is read. English negation
 * reaches to the end of its clause ("don't build anything, just tell me"); Korean, whose verbs come
 * last, from the start of its clause ("GPU 서버는 만들지 말고"). Indifference ("I don't care which city")
 * and a superlative's emphasis ("… you can find") go too. `forbids` says an action was forbidden.
 */
function setAsideNonRequests(prepared: PreparedText): { prepared: PreparedText; forbids: boolean } {
  let { masked, lower } = prepared;
  let forbids = false;
  const drop = (start: number, end: number) => {
    masked = blank(masked, start, end);
    lower = blank(lower, start, end);
  };
  for (const match of lower.matchAll(NEGATED_ACTION_EN)) {
    forbids = true;
    const after = /[.;!?,\n]|\b(?:but|just|instead|only)\b/.exec(lower.slice(match.index + match[0].length));
    drop(match.index, after === null ? lower.length : match.index + match[0].length + after.index);
  }
  for (const match of lower.matchAll(NEGATED_ACTION_KO)) {
    forbids = true;
    let start = 0;
    for (const end of lower.slice(0, match.index).matchAll(KOREAN_CLAUSE_END))
      start = end.index + end[0].length;
    drop(start, match.index + match[0].length);
  }
  for (const match of lower.matchAll(NEGATED_WISH)) {
    const verb = match[1] as string;
    const at = match.index + match[0].length - verb.length;
    drop(at, at + verb.length);
  }
  for (const match of lower.matchAll(INDIFFERENT)) drop(match.index, match.index + match[0].length);
  for (const match of lower.matchAll(SUPERLATIVE_TAIL)) drop(match.index, match.index + match[0].length);
  return { prepared: { ...prepared, masked, lower }, forbids };
}

/**
 * A known MCI's name written as a name ("the gpu cluster", "gpu MCI에", "MCI nginx"): set aside from the
 * entity readers, which would take "gpu" for hardware or "nginx" for an app, and put back for targets.
 */
function setAsideKnownNames(
  prepared: PreparedText,
  context: ConversationContext,
): { prepared: PreparedText; names: { start: number; end: number }[] } {
  let { masked, lower } = prepared;
  const names: { start: number; end: number }[] = [];
  for (const entry of context.knownMcis ?? []) {
    const name = typeof entry === 'string' ? entry : entry.name;
    if (!/^[a-z][a-z0-9-]*$/.test(name)) continue;
    const written = regex(
      `(?<![\\w-])${name}(?=(?:[가-힣]{1,2})?\\s*(?:mcis?|clusters?|클러스터|인프라|deployment)(?![a-z]))|\\b(?:mci|cluster)\\s+(${name})(?![\\w-])`,
      'g',
    );
    for (const match of lower.matchAll(written)) {
      const start = match.index + (match[1] === undefined ? 0 : match[0].length - match[1].length);
      names.push({ start, end: start + name.length });
      masked = blank(masked, start, start + name.length);
      lower = blank(lower, start, start + name.length);
    }
  }
  return { prepared: { ...prepared, masked, lower }, names };
}

/** Whether what is left of a sentence still asks for something (after its negations were set aside). */
function asksSomething(lower: string): boolean {
  const cues: readonly Cue[] = [
    'create',
    'install',
    'run',
    'list',
    'status',
    'scale',
    'suspend',
    'resume',
    'reboot',
    'terminate',
    'delete',
    'search',
    'estimate',
    'listApps',
    'help',
  ];
  return cues.some((cue) => cueAt(lower, cue) >= 0);
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

const KNOWN_COMMANDS = new Set(
  `nvidia-smi uptime df du free top htop ps ls cat echo hostname whoami uname date docker kubectl k3s systemctl
  journalctl curl wget ping apt apt-get yum dnf snap reboot shutdown poweroff hostnamectl timedatectl lsmod pip pip3 python python3 nproc lscpu lsblk ip ifconfig ss netstat tail head
  grep ollama ray env id w who dmesg sudo sh bash git make node npm free vmstat iostat sensors nvcc lspci
  mount touch mkdir rm cp mv chmod chown tar unzip service crontab jupyter nginx`.split(/\s+/),
);

/** Words that end the command and start its target: "on demo", "in gpu-lab", "against web". */
const COMMAND_END =
  /\s+(?:on|in|at|against|across|for|to|inside|from|over)\s+(?:the\s+|my\s+|all\s+|every\s+|each\s+)?(?:[a-z][\w-]*|it|them|that)\b.*$|\s*(?:please|pls|for\s+me)\s*$/;

interface CommandFound {
  command: string;
  quoted: boolean;
  /** Offsets in the text to blank so the command's words are not read as names. */
  start: number;
  end: number;
}

function findCommand(
  prepared: PreparedText,
  entities: Entities,
  appNames: readonly string[],
): CommandFound | undefined {
  const lower = prepared.lower;
  const quote = prepared.quotes.find((candidate) => candidate.backtick) ?? prepared.quotes[0];
  const runAt = cueAt(lower, 'run');
  if (quote !== undefined && quote.text !== '') {
    return { command: quote.text, quoted: true, start: quote.start, end: quote.end };
  }
  if (runAt < 0) return checkedWith(prepared);
  // English: the words after "run", up to the target ("run df -h on demo").
  const english = /\b(?:run|execute|exec)\s+(?:the\s+)?(?:command\s+|cmd\s+)?(.+)$/.exec(lower);
  if (english !== null && english.index === runAt) {
    const start = english.index + english[0].length - (english[1] as string).length;
    const tail = (english[1] as string)
      .replace(COMMAND_END, '')
      .replace(/[.!?]+$/, '')
      .trim();
    const command = prepared.masked.slice(start, start + tail.length).trim();
    if (plausibleCommand(command, appNames, entities))
      return { command, quoted: false, start, end: start + tail.length };
    return undefined;
  }
  // Korean: the command is the run of Latin words just before "실행/돌려" ("web 전체 노드에서 free -m
  // 실행해서"): back from the verb over "명령어를", then over words without Hangul, the last of which may
  // carry an object particle ("uptime을"); the command starts at the first word that starts like one.
  const korean = /(실행|돌려|수행|돌리|명령\S*\s*(?:을|를)?\s*(?:날려|보내|쳐))/.exec(lower);
  if (korean === null) return undefined;
  const words = wordsOf(lower.slice(0, korean.index));
  let index = words.length - 1;
  // "명령어를", and fillers between the command and its verb ("ps aux 좀 실행해봐").
  while (
    index >= 0 &&
    /^(?:명령어?|커맨드|command|cmd|좀|한번|그냥|바로|다시|얼른)(?:를|을)?$/.test((words[index] as Word).text)
  )
    index -= 1;
  const run: Word[] = [];
  for (; index >= 0; index--) {
    const word = words[index] as Word;
    const bare = run.length === 0 ? word.text.replace(/(?<=[\x21-\x7e])(?:을|를)$/, '') : word.text;
    if (/[가-힣]/.test(bare)) break;
    run.unshift({ ...word, end: word.start + bare.length });
  }
  for (let start = 0; start < run.length; start++) {
    const first = run[start] as Word;
    const last = run[run.length - 1] as Word;
    const command = prepared.masked.slice(first.start, last.end).trim();
    if (plausibleCommand(command, appNames, entities))
      return { command, quoted: false, start: first.start, end: last.end };
  }
  return undefined;
}

/** "check gpu usage on gpu-lab with nvidia-smi", "nvidia-smi로 GPU 상태 확인해줘": a known program as the means of a check. */
const CHECK_WITH_EN =
  /\b(?:check|see|look|inspect|verify|show)\b.*?\b(?:with|using|via|by\s+running)\s+([a-z][\w.-]*(?:\s+-{1,2}[\w=-]+)*)/;
const CHECK_WITH_KO =
  /(?<![\w.-])([a-z][\w.-]*(?:\s+-{1,2}[\w=-]+)*)\s*(?:로|으로)\s.*(?:확인|봐|보여|체크|알려)/;

function checkedWith(prepared: PreparedText): CommandFound | undefined {
  const match = CHECK_WITH_EN.exec(prepared.lower) ?? CHECK_WITH_KO.exec(prepared.lower);
  const written = match?.[1];
  if (match === null || written === undefined) return undefined;
  if (!KNOWN_COMMANDS.has(written.split(/\s+/)[0] as string)) return undefined;
  const start = match.index + match[0].indexOf(written);
  const command = prepared.masked.slice(start, start + written.length);
  return { command, quoted: false, start, end: start + written.length };
}

/** An unquoted command must start like one: a known program, a path, or a word with flags after it. */
function plausibleCommand(command: string, appNames: readonly string[], entities: Entities): boolean {
  const words = command.split(/\s+/);
  const first = (words[0] ?? '').toLowerCase();
  if (first === '' || !/^[a-z./~][\w./~+-]*$/.test(first)) return false;
  // "run ollama with llama3 on 2 GPUs" deploys an app; "run docker ps on demo" is a command.
  if (
    appNames.includes(first) &&
    (words.length === 1 || /^(?:with|on|in|at|and|using|for|across)$/i.test(words[1] ?? ''))
  )
    return false;
  if (entities.counts.some((count) => count.withNoun) || entities.gpuMentioned) return false;
  if (KNOWN_COMMANDS.has(first) || first.includes('/') || first.includes('-')) return true;
  return words.length > 1 && (words[1] ?? '').startsWith('-');
}

// ---------------------------------------------------------------------------------------------
// Building intents
// ---------------------------------------------------------------------------------------------

interface Reading {
  prepared: PreparedText;
  entities: Entities;
  language: Language;
  flags: Flags;
  context: ConversationContext;
  notes: string[];
  /** Places per provider filter: the resolver runs once per sentence and filter. */
  places: Map<string, LocatedPlace[]>;
}

function ask(
  reading: Reading,
  topic: ClarificationTopic,
  detail: { options?: string[]; written?: string; app?: string } = {},
  partial?: Partial<Intent> & { kind: IntentKind },
): Understanding {
  const understanding: Understanding = {
    kind: 'clarify',
    language: reading.language,
    clarification: question(topic, reading.language, detail),
    flags: reading.flags,
  };
  if (partial !== undefined) understanding.partial = partial;
  return understanding;
}

function done(reading: Reading, intent: Intent): Understanding {
  return { kind: 'intent', language: reading.language, intent, flags: reading.flags };
}

function providersOf(entities: Entities): ProviderFilter {
  return { only: [...entities.providers.only], exclude: [...entities.providers.exclude] };
}

function hasRequirements(requirements: NodeRequirements): boolean {
  return Object.keys(requirements).length > 0;
}

/** The places of the sentence, with the text that names an MCI or a command blanked. */
function placesOf(reading: Reading, providers: ProviderFilter): LocatedPlace[] {
  const key = `${providers.only.join(',')}|${providers.exclude.join(',')}`;
  const cached = reading.places.get(key);
  if (cached !== undefined) return cached.map((place) => structuredClone(place));
  const found = resolveSentencePlaces(reading, providers);
  reading.places.set(key, found);
  return found.map((place) => structuredClone(place));
}

function resolveSentencePlaces(reading: Reading, providers: ProviderFilter): LocatedPlace[] {
  let text = reading.prepared.masked;
  const name = reading.entities.name;
  if (name !== undefined) text = blank(text, name.start, name.end);
  // A count is no place: "두 대만" is "only two machines", not Taiwan (대만), so a counter and the
  // ending glued to it ("대만", "대씩", "개를") go before the place resolver reads the sentence.
  for (const count of reading.entities.counts) {
    let end = count.end;
    if (/(?:대|개|노드)$/.test(reading.prepared.lower.slice(count.start, count.end)))
      while (end < text.length && /[가-힣]/.test(text.charAt(end))) end += 1;
    text = blank(text, count.start, end);
  }
  const regions = reading.context.regions ?? catalogRegions();
  return placesIn(text, regions, providers);
}

/** Split `total` over `places` as evenly as possible, earlier places first. */
function spread(total: number, places: number): number[] {
  const base = Math.floor(total / places);
  return Array.from({ length: places }, (_, index) => base + (index < total % places ? 1 : 0));
}

type PlacementResult = { placement: Placement; nodeCount: number } | { conflict: true };

/** Node count and how it is spread over the places, from the counts and places of the sentence. */
function placeNodes(
  reading: Reading,
  located: LocatedPlace[],
  counts: CountMention[],
  fallbackCount: number | undefined,
): PlacementResult {
  const { entities, notes } = reading;
  const near = entities.near;
  const perPlace = counts.find((count) => count.perPlace);
  const totals = counts.filter((count) => !count.perPlace);
  const withNoun = totals.filter((count) => count.withNoun);
  const places = located.map(({ at: _at, ...request }) => request);
  const lower = reading.prepared.lower;
  const total = (withNoun[0] ?? totals[0])?.value;

  if (places.length === 0) {
    const nodeCount = perPlace?.value ?? total ?? fallbackCount ?? 1;
    if (perPlace === undefined && total === undefined && fallbackCount === undefined)
      notes.push('no count given: 1 node');
    return { placement: { places: [], distribution: 'none', near }, nodeCount };
  }
  if (places.length === 1) {
    const nodeCount = total ?? perPlace?.value ?? fallbackCount ?? 1;
    if (total === undefined && perPlace === undefined && fallbackCount === undefined)
      notes.push('no count given: 1 node');
    (places[0] as (typeof places)[number]).count = nodeCount;
    return { placement: { places, distribution: 'single', near }, nodeCount };
  }
  // Two or more places.
  const first = Math.min(...located.map((place) => (place.at < 0 ? Number.POSITIVE_INFINITY : place.at)));
  const last = Math.max(...located.map((place) => place.at));
  const between = first < last ? lower.slice(first, last) : '';
  if (
    /\b(?:or|either)\b|또는|혹은|아니면|(?<=[가-힣])(?:이나|나)\s/.test(between) &&
    !/\band\b|그리고/.test(between)
  ) {
    const nodeCount = total ?? fallbackCount ?? 1;
    return { placement: { places, distribution: 'anyOf', near }, nodeCount };
  }
  if (perPlace !== undefined || entities.each) {
    const per =
      perPlace?.value ?? (total !== undefined && total % places.length === 0 ? total / places.length : 1);
    if (total !== undefined && perPlace !== undefined && total !== per * places.length)
      return { conflict: true };
    for (const place of places) place.count = per;
    return { placement: { places, distribution: 'each', near }, nodeCount: per * places.length };
  }
  // "3 in Seoul and 2 in Tokyo", "서울 3대 도쿄 2대", "5 VMs: 3 in Seoul and 2 in Tokyo".
  let perPlaceCounts = totals;
  if (totals.length === places.length + 1) {
    const [head, ...rest] = totals;
    if (head !== undefined && head.value === rest.reduce((sum, count) => sum + count.value, 0))
      perPlaceCounts = rest;
  }
  if (perPlaceCounts.length === places.length && places.length >= 2) {
    perPlaceCounts.forEach((count, index) => {
      (places[index] as (typeof places)[number]).count = count.value;
    });
    const nodeCount = perPlaceCounts.reduce((sum, count) => sum + count.value, 0);
    return { placement: { places, distribution: 'counts', near }, nodeCount };
  }
  const nodeCount = total ?? fallbackCount ?? places.length;
  if (total === undefined && fallbackCount === undefined) notes.push('no count given: one node per place');
  spread(nodeCount, places.length).forEach((count, index) => {
    (places[index] as (typeof places)[number]).count = count;
  });
  const distribution: Distribution = 'spread';
  if (nodeCount < places.length)
    notes.push(`${nodeCount} node(s) over ${places.length} places: some places get none`);
  return { placement: { places, distribution, near }, nodeCount };
}

/** Re-spread a placement for a new node count ("make it 5" on a plan over three cities). */
function redistribute(placement: Placement, nodeCount: number, notes: string[]): Placement {
  const places = placement.places.map((place) => ({ ...place }));
  if (places.length === 0) return { ...placement, places };
  if (places.length === 1) {
    (places[0] as (typeof places)[number]).count = nodeCount;
    return { ...placement, places, distribution: 'single' };
  }
  if (placement.distribution === 'anyOf') return { ...placement, places };
  if (placement.distribution === 'each' && nodeCount % places.length === 0) {
    for (const place of places) place.count = nodeCount / places.length;
    return { ...placement, places };
  }
  notes.push(`${nodeCount} nodes spread over ${places.length} places in order`);
  spread(nodeCount, places.length).forEach((count, index) => {
    (places[index] as (typeof places)[number]).count = count;
  });
  return { ...placement, places, distribution: 'spread' };
}

const SAFE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The MCI name, lower-cased when that makes it valid; undefined when none; an error when unusable. */
function nameOf(reading: Reading): { name?: string; invalid?: string } {
  const written = reading.entities.name?.value;
  if (written === undefined) return {};
  if (SAFE_NAME.test(written) && written.length <= 40) return { name: written };
  const lowered = written.toLowerCase();
  if (SAFE_NAME.test(lowered) && lowered.length <= 40) {
    reading.notes.push(`name "${written}" written as "${lowered}"`);
    return { name: lowered };
  }
  return { invalid: written };
}

function budgetQuestion(
  reading: Reading,
  partial: Partial<Intent> & { kind: IntentKind },
): Understanding | undefined {
  if (reading.entities.budgetWithoutPeriod === undefined || reading.entities.budget !== undefined)
    return undefined;
  const { amount, currency } = reading.entities.budgetWithoutPeriod;
  const options = reading.language === 'ko' ? ['시간당', '한 달'] : ['per hour', 'per month'];
  return ask(reading, 'budget', { options, written: `${currency === 'USD' ? '$' : '₩'}${amount}` }, partial);
}

/**
 * "the fastest 8-core machine", "8코어 중에 제일 빠른": ranked by performance, a plain vCPU number is the
 * size class asked for, not a floor (else "fastest" picks the biggest machine there is).
 */
function sizeClass(
  reading: Reading,
  requirements: NodeRequirements,
  preference: Preference | undefined,
): void {
  const vcpu = requirements.minVcpu;
  if (preference !== 'performance' || !reading.entities.vcpuAsSize || vcpu === undefined) return;
  if (requirements.maxVcpu !== undefined) return;
  requirements.maxVcpu = vcpu;
  reading.notes.push(`the fastest with ${vcpu} vCPU, not more`);
}

function buildDeploy(reading: Reading): Understanding {
  const { entities } = reading;
  const providers = providersOf(entities);
  const located = placesOf(reading, providers);
  const requirements = { ...entities.requirements };
  let apps: AppRequest[] = entities.apps.map((app) => ({
    name: app.name,
    parameters: { ...app.parameters },
  }));
  let placementProviders = providers;
  // "deploy that", "그걸로 3대": build on the last search when nothing else describes the nodes.
  const search = reading.context.lastSearch;
  let inherited: SearchSpecsIntent | undefined;
  if (
    search !== undefined &&
    !hasRequirements(requirements) &&
    located.length === 0 &&
    cueAt(reading.prepared.lower, 'reference') >= 0
  ) {
    inherited = search;
    reading.notes.push('nodes as in the last search');
  }
  if (reading.prepared.vagueCount) return ask(reading, 'count', {}, { kind: 'deploy', requirements, apps });
  const placed =
    inherited !== undefined && located.length === 0
      ? ({ placement: structuredClone(inherited.placement), nodeCount: 0 } as const)
      : placeNodes(reading, located, entities.counts, undefined);
  if ('conflict' in placed) return ask(reading, 'place', {}, { kind: 'deploy', requirements, apps });
  let { placement, nodeCount } = placed;
  if (inherited !== undefined) {
    const count = entities.counts[0]?.value ?? 1;
    nodeCount = count;
    placement = redistribute(placement, count, reading.notes);
    Object.assign(requirements, inherited.requirements);
    placementProviders = {
      only: providers.only.length > 0 ? providers.only : [...inherited.providers.only],
      exclude: [...new Set([...inherited.providers.exclude, ...providers.exclude])],
    };
  }
  const partial: Partial<DeployIntent> & { kind: 'deploy' } = {
    kind: 'deploy',
    nodeCount,
    requirements,
    placement,
    providers: placementProviders,
    apps,
  };
  // "deploy" alone: what and where.
  const described =
    inherited !== undefined ||
    hasRequirements(requirements) ||
    apps.length > 0 ||
    placement.places.length > 0 ||
    entities.counts.some((count) => count.withNoun) ||
    entities.providerMentions > 0;
  if (!described) return ask(reading, 'what');
  const { name, invalid } = nameOf(reading);
  if (invalid !== undefined) return ask(reading, 'name', { written: invalid }, partial);
  const budgetAsk = budgetQuestion(reading, partial);
  if (budgetAsk !== undefined) return budgetAsk;
  apps = dedupeApps(apps);
  sizeClass(reading, requirements, entities.preference);
  const intent: DeployIntent = {
    kind: 'deploy',
    nodeCount,
    requirements,
    placement,
    providers: placementProviders,
    apps,
    preference: entities.preference ?? inherited?.sort ?? 'cost',
    spot: entities.spot || (inherited?.spot ?? false),
    notes: reading.notes,
  };
  const budget = entities.budget ?? inherited?.budget;
  if (budget !== undefined) intent.budget = budget;
  if (name !== undefined) intent.name = name;
  if (entities.os !== undefined) intent.os = entities.os;
  return done(reading, intent);
}

function dedupeApps(apps: AppRequest[]): AppRequest[] {
  const byName = new Map<string, AppRequest>();
  for (const app of apps) {
    const existing = byName.get(app.name);
    if (existing === undefined) byName.set(app.name, app);
    else Object.assign(existing.parameters, app.parameters);
  }
  return [...byName.values()];
}

/** "the 3 cheapest", "5 fastest": how many results a search lists. */
const RANKED = /\b(\d{1,2})\s+(?:cheapest|fastest|best|closest|nearest|least\s+expensive)\b/;

function buildSearch(reading: Reading, base?: SearchSpecsIntent): Understanding {
  const { entities } = reading;
  const providers = providersOf(entities);
  const places = placesOf(reading, providers).map(({ at: _at, ...request }) => request);
  // A search looks in every place named: no counts, any of them.
  const placement: Placement = {
    places,
    distribution: places.length === 0 ? 'none' : places.length === 1 ? 'single' : 'anyOf',
    near: entities.near,
  };
  const sort: Preference = entities.preference ?? (entities.near ? 'distance' : 'cost');
  const intent: SearchSpecsIntent = {
    kind: 'searchSpecs',
    requirements:
      base === undefined ? { ...entities.requirements } : { ...base.requirements, ...entities.requirements },
    placement: base !== undefined && placement.places.length === 0 ? base.placement : placement,
    providers: base !== undefined && entities.providerMentions === 0 ? base.providers : providers,
    sort: entities.preference ?? base?.sort ?? sort,
    spot: entities.spot || (base?.spot ?? false),
    notes: reading.notes.filter((note) => !note.startsWith('no count given')),
  };
  sizeClass(reading, intent.requirements, entities.preference);
  intent.notes = reading.notes.filter((note) => !note.startsWith('no count given'));
  if (base !== undefined) intent.notes.push('changes the last search');
  const budget = entities.budget ?? base?.budget;
  if (budget !== undefined) intent.budget = budget;
  const ranked = RANKED.exec(reading.prepared.lower);
  const limit =
    entities.limit ??
    (ranked === null ? undefined : Number(ranked[1])) ??
    entities.counts.find((count) => !count.withNoun)?.value ??
    base?.limit;
  if (entities.limit !== undefined || ranked !== null || base?.limit !== undefined)
    intent.limit = limit as number;
  const budgetAsk = budgetQuestion(reading, { kind: 'searchSpecs', requirements: intent.requirements });
  if (budgetAsk !== undefined) return budgetAsk;
  return done(reading, intent);
}

function buildEstimate(reading: Reading): Understanding {
  const { entities } = reading;
  // "how much is demo costing me?": the cost of an MCI that exists is in its status.
  if (
    !hasRequirements(entities.requirements) &&
    !entities.counts.some((count) => count.withNoun) &&
    reading.context.knownMcis !== undefined
  ) {
    const named = target(reading, entities.rest, false);
    if (named.kind === 'found' && (named.target.via === 'named' || named.target.via === 'context'))
      return done(reading, {
        kind: 'mciStatus',
        target: named.target,
        notes: [...reading.notes, 'its cost'],
      });
  }
  const providers = providersOf(entities);
  const located = placesOf(reading, providers);
  const requirements = { ...entities.requirements };
  // "4 A100s" alone: 1 node with 4 GPUs (the GPU count was read per node).
  const placed = placeNodes(reading, located, entities.counts, undefined);
  const placement =
    'conflict' in placed
      ? { places: [], distribution: 'none' as const, near: entities.near }
      : placed.placement;
  const nodeCount = 'conflict' in placed ? 1 : placed.nodeCount;
  const pending = reading.context.pendingPlan;
  if (
    !hasRequirements(requirements) &&
    placement.places.length === 0 &&
    !entities.counts.some((count) => count.withNoun)
  ) {
    // "how much would that cost?" about the pending plan.
    if (pending !== undefined) {
      return done(reading, {
        kind: 'estimateCost',
        nodeCount: pending.nodeCount,
        requirements: pending.requirements,
        placement: pending.placement,
        providers: pending.providers,
        spot: pending.spot,
        period: entities.period ?? 'hour',
        notes: ['the pending plan'],
      });
    }
    return ask(reading, 'what');
  }
  return done(reading, {
    kind: 'estimateCost',
    nodeCount,
    requirements,
    placement,
    providers,
    spot: entities.spot,
    period: entities.period ?? 'hour',
    notes: reading.notes.filter((note) => !note.startsWith('no count given')),
  });
}

/** A pending plan changed by a follow-up ("make it 5", "also add nginx", "use GCP instead"). */
function revisePlan(reading: Reading, plan: DeployIntent): Understanding {
  const { entities, prepared } = reading;
  const revised = new Set<NonNullable<DeployIntent['revised']>[number]>();
  const notes = [...reading.notes];
  const next: DeployIntent = structuredClone(plan);
  next.notes = notes;
  delete next.revised;
  const lower = prepared.lower;
  const replacing = /\b(?:instead|rather|switch|swap|replace|change)\b|대신|바꿔|바꾸|말고|변경/.test(lower);

  // Counts: "make it 5" / "5대로" sets; "2 more" / "2대 추가" adds; "one fewer" removes; "double it" multiplies.
  const count = entities.counts.find((mention) => !mention.perPlace);
  const factor = scaleFactor(lower);
  if (factor !== undefined) {
    next.nodeCount = Math.max(1, Math.round(plan.nodeCount * factor));
    revised.add('nodeCount');
  } else if (count !== undefined) {
    const fewer = /\b(?:fewer|less|remove|minus)\b|줄여|빼|제거/.test(lower);
    next.nodeCount = count.more ? next.nodeCount + (fewer ? -count.value : count.value) : count.value;
    if (fewer && !count.more) next.nodeCount = Math.max(1, plan.nodeCount - count.value);
    next.nodeCount = Math.max(1, next.nodeCount);
    revised.add('nodeCount');
  }
  // Requirements: fields said now replace the plan's.
  const requirements = entities.requirements;
  if (hasRequirements(requirements)) {
    if (requirements.noGpu) delete next.requirements.gpu;
    if (requirements.gpu !== undefined) delete next.requirements.noGpu;
    Object.assign(next.requirements, requirements);
    revised.add('requirements');
  }
  // Places: new places replace the plan's.
  const providers = providersOf(entities);
  const located = placesOf(reading, providers);
  if (located.length > 0) {
    const placed = placeNodes(reading, located, count === undefined ? [] : [count], next.nodeCount);
    if (!('conflict' in placed)) {
      next.placement = placed.placement;
      next.nodeCount = placed.nodeCount;
      revised.add('placement');
    }
  } else if (revised.has('nodeCount')) {
    next.placement = redistribute(next.placement, next.nodeCount, notes);
  }
  // Providers: "use GCP instead" replaces the allowed list; "not Azure" adds an exclusion.
  if (entities.providerMentions > 0) {
    if (providers.only.length > 0) next.providers.only = providers.only;
    next.providers.exclude = [
      ...new Set([
        ...next.providers.exclude.filter((provider) => !providers.only.includes(provider)),
        ...providers.exclude,
      ]),
    ];
    next.providers.only = next.providers.only.filter(
      (provider) => !next.providers.exclude.includes(provider),
    );
    revised.add('providers');
  }
  // Apps: "drop nginx", "nginx 빼고" remove; others are added, or replace the plan's when it says instead.
  if (entities.apps.length > 0) {
    const removed = new Set(
      entities.appMentions
        .filter(
          (mention) =>
            /\b(?:drop|remove|without|no|not|minus|skip|except)\s+$/.test(
              lower.slice(Math.max(0, mention.start - 10), mention.start),
            ) ||
            /^\s*(?:은|는|을|를)?\s*(?:빼|제외|말고|없이|지워|삭제)/.test(
              lower.slice(mention.end, mention.end + 8),
            ),
        )
        .map((mention) => mention.name),
    );
    const added = entities.apps.filter((app) => !removed.has(app.name));
    const kept =
      replacing && added.length > 0 && removed.size === 0
        ? []
        : next.apps.filter((app) => !removed.has(app.name));
    next.apps = dedupeApps([...kept, ...added]);
    revised.add('apps');
  }
  if (entities.preference !== undefined && entities.preference !== plan.preference) {
    next.preference = entities.preference;
    revised.add('preference');
  }
  if (entities.spot && !plan.spot) {
    next.spot = true;
    revised.add('spot');
  } else if (
    plan.spot &&
    /\bon[\s-]*demand\b|no\s+spot|without\s+spot|스팟\s*(?:말고|빼고|없이)|온디맨드/.test(lower)
  ) {
    next.spot = false;
    revised.add('spot');
  }
  if (entities.budget !== undefined) {
    next.budget = entities.budget;
    revised.add('budget');
  }
  const { name, invalid } = nameOf(reading);
  if (invalid !== undefined) return ask(reading, 'name', { written: invalid }, plan);
  if (name !== undefined) {
    next.name = name;
    revised.add('name');
  }
  const budgetAsk = budgetQuestion(reading, plan);
  if (budgetAsk !== undefined) return budgetAsk;
  if (revised.size === 0) return ask(reading, 'intent');
  next.revised = [...revised];
  next.notes.push('changes the pending plan');
  return done(reading, next);
}

function planEntities(entities: Entities, placesNamed: boolean): boolean {
  return (
    entities.counts.length > 0 ||
    hasRequirements(entities.requirements) ||
    entities.apps.length > 0 ||
    entities.providerMentions > 0 ||
    entities.preference !== undefined ||
    entities.spot ||
    entities.budget !== undefined ||
    entities.name !== undefined ||
    placesNamed
  );
}

function target(
  reading: Reading,
  text: string,
  destructive: boolean,
  exclude: readonly string[] = [],
  implicit = false,
): TargetResult {
  return resolveTarget(reading.prepared, text, reading.context, { destructive, exclude, implicit });
}

/** Ask about an unresolved target; undefined when it was found. */
function targetQuestion(
  reading: Reading,
  found: TargetResult,
  partial: Partial<Intent> & { kind: IntentKind },
): Understanding | undefined {
  switch (found.kind) {
    case 'found':
      reading.notes.push(...found.notes);
      return undefined;
    case 'ambiguous':
      return ask(reading, 'target', { options: found.options }, partial);
    case 'unknown':
      return ask(reading, 'target', { options: found.options, written: found.written }, partial);
    case 'all':
      reading.notes.push('one MCI at a time');
      return ask(reading, 'target', { options: knownNames(reading) }, partial);
    case 'several':
      return ask(reading, 'target', { options: found.names }, partial);
    case 'none':
      return ask(reading, 'target', { options: found.options }, partial);
  }
}

function knownNames(reading: Reading): string[] {
  return (reading.context.knownMcis ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.name));
}

const ACTIONS: readonly { cue: Cue; action: ControlAction | 'delete' }[] = [
  { cue: 'reboot', action: 'reboot' },
  { cue: 'delete', action: 'delete' },
  { cue: 'terminate', action: 'terminate' },
  { cue: 'suspend', action: 'suspend' },
  { cue: 'resume', action: 'resume' },
];

function lifecycleAction(rest: string): { action: ControlAction | 'delete'; at: number } | undefined {
  let best: { action: ControlAction | 'delete'; at: number } | undefined;
  for (const { cue, action } of ACTIONS) {
    const at = cueAt(rest, cue);
    if (at < 0) continue;
    // "restart" also matches "start": reboot, found first, wins at the same place.
    if (best === undefined || at < best.at) best = { action, at };
  }
  return best;
}

function buildLifecycle(reading: Reading, action: ControlAction | 'delete', text: string): Understanding {
  const destructive = action === 'delete' || action === 'terminate';
  // "turn it back on", "다시 켜줘": undoing or repeating a change is about the MCI last acted on.
  const again = action === 'resume' || /\bagain\b|\bback\b|다시/.test(reading.prepared.lower);
  const found = target(reading, text, destructive, [], !destructive && again);
  const node = reading.entities.node;
  // "delete everything", "둘 다 전부 꺼줘": every MCI in one plan, which names each of them before it runs.
  const every = found.kind === 'several' ? found.names : knownNames(reading);
  // "stop demo and delete gpu-lab" asks two things: never one of them for both MCIs.
  const otherAction = ACTIONS.some(
    ({ cue, action: other }) => other !== action && other !== 'resume' && cueAt(text, cue) >= 0,
  );
  if (
    (found.kind === 'all' || (found.kind === 'several' && !otherAction)) &&
    every.length > 1 &&
    node === undefined
  ) {
    const via = found.kind === 'all' ? ('all' as const) : ('named' as const);
    const targets = every.map((name) => ({ name, via }));
    const notes = [
      ...reading.notes,
      `${found.kind === 'all' ? 'every MCI' : 'the MCIs named'}: ${every.join(', ')}`,
    ];
    const first = targets[0] as McisTarget;
    if (action === 'delete') return done(reading, { kind: 'delete', target: first, targets, notes });
    return done(reading, { kind: 'control', action, target: first, targets, notes });
  }
  const question = targetQuestion(
    reading,
    found,
    action === 'delete' ? { kind: 'delete' } : { kind: 'control', action: action as ControlAction },
  );
  if (question !== undefined || found.kind !== 'found') return question ?? ask(reading, 'target');
  if (action === 'delete') {
    const intent: Intent = { kind: 'delete', target: found.target, notes: reading.notes };
    if (node !== undefined) intent.node = node;
    return done(reading, intent);
  }
  const intent: Intent = { kind: 'control', action, target: found.target, notes: reading.notes };
  if (node !== undefined) intent.node = node;
  return done(reading, intent);
}

/** Words that take nodes away: "remove 2", "drop one", "take a node out", "one too many", "하나 빼". */
const REMOVING =
  /\b(?:remove|drop|fewer|less|minus|too\s+many|take\s+(?:\S+\s+){0,3}?(?:out|off|away))\b|빼|제거/;

/** "double it", "triple the workers", "halve it", "두 배로", "반으로 줄여": a factor on the current size. */
function scaleFactor(lower: string): number | undefined {
  if (/\bdouble\b|\btwice\s+as\s+(?:many|big|large)\b/.test(lower)) return 2;
  if (/\btriple\b/.test(lower)) return 3;
  if (/\bquadruple\b/.test(lower)) return 4;
  if (/\bhalve\b|\bin\s+half\b|절반|(?<![가-힣])반\s*(?:으로|만)/.test(lower)) return 0.5;
  const times = /(\d+)\s*(?:x|times)\s+as\s+(?:many|big|large)\b|(\d+)\s*배/.exec(lower);
  return times === null ? undefined : Number(times[1] ?? times[2]);
}

function buildScale(reading: Reading, text: string): Understanding {
  const { entities, prepared } = reading;
  const lower = prepared.lower;
  const count = entities.counts.find((mention) => !mention.perPlace);
  const factor = scaleFactor(lower);
  const removing = REMOVING.test(lower);
  const down =
    removing || /\b(?:down|shrink|decrease|reduce|downsize)\b|줄여|줄이|줄일|축소|감축/.test(lower);
  const up = /\b(?:up|grow|increase|expand|add|more|upsize)\b|늘려|늘리|늘릴|확장|증설|추가|더/.test(lower);
  const found = target(reading, text, false, [], true);
  const partial = { kind: 'scale' as const };
  const question = targetQuestion(reading, found, partial);
  if (question !== undefined || found.kind !== 'found') return question ?? ask(reading, 'target');
  if (count === undefined && factor === undefined)
    return ask(reading, 'scale', {}, { kind: 'scale', target: found.target });
  let change: ScaleIntent['change'];
  if (factor !== undefined) change = { factor };
  else if (count === undefined) return ask(reading, 'scale', {}, { kind: 'scale', target: found.target });
  else if (count.to) change = { to: count.value };
  else if (count.more || /\bby\s*$/.test(lower.slice(0, count.start)))
    change = { by: down ? -count.value : count.value };
  else if (down && (removing || /줄여|줄이/.test(lower)) && !/\bto\s*$/.test(lower.slice(0, count.start)))
    change = { by: -count.value };
  else if (up && /\badd\b|추가|더/.test(lower)) change = { by: count.value };
  else change = { to: count.value };
  const intent: Intent = { kind: 'scale', target: found.target, change, notes: reading.notes };
  const group = entities.nodeGroup ?? groupNamed(reading, found.target.name, text);
  if (group !== undefined) intent.nodeGroup = group;
  return done(reading, intent);
}

/** A node group of the target named in the text ("the workers" → "worker"). */
function groupNamed(reading: Reading, mci: string, text: string): string | undefined {
  const known = reading.context.knownMcis?.find((entry) => typeof entry !== 'string' && entry.name === mci);
  if (known === undefined || typeof known === 'string') return undefined;
  for (const word of wordsOf(text)) {
    const stem = stripParticle(word.text);
    const singular = stem.endsWith('s') ? stem.slice(0, -1) : stem;
    const group = known.nodeGroups?.find((name) => name === stem || name === singular);
    if (group !== undefined) return group;
  }
  return undefined;
}

function buildInstall(reading: Reading, text: string): Understanding {
  const apps = dedupeApps(reading.entities.apps);
  const found = target(
    reading,
    text,
    false,
    apps.map((app) => app.name),
    true,
  );
  const question = targetQuestion(reading, found, { kind: 'installApp', apps });
  if (question !== undefined || found.kind !== 'found') return question ?? ask(reading, 'target');
  return done(reading, { kind: 'installApp', target: found.target, apps, notes: reading.notes });
}

// ---------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------

/**
 * What `text` asks for, given what earlier turns left in `context`: an intent, or exactly one
 * clarifying question when something essential is missing or ambiguous. Never throws on any text.
 */
export function understand(text: string, context: ConversationContext = {}): Understanding {
  const initial = prepareText(text);
  const { prepared: obeyed, injection } = setAsideInjection(initial);
  const { prepared: wanted, forbids } = setAsideNonRequests(obeyed);
  const { prepared, names } = setAsideKnownNames(wanted, context);
  const language = prepared.language;
  const flags: Flags = { injection };
  const entities = extractEntities(prepared);
  for (const { start, end } of names)
    entities.rest = entities.rest.slice(0, start) + wanted.lower.slice(start, end) + entities.rest.slice(end);
  const reading: Reading = {
    prepared,
    entities,
    language,
    flags,
    context,
    notes: entities.notes,
    places: new Map(),
  };
  if (injection) reading.notes.push('instructions inside the request were ignored');
  const lower = prepared.lower;
  const rest = entities.rest;

  // "don't delete demo", "demo 삭제하지 마": a forbidden action, with nothing else asked, is no request to act.
  if (forbids && !asksSomething(lower))
    return done(reading, { kind: 'reject', notes: [...reading.notes, 'the request says not to act'] });

  if (lower.trim().replace(/[.!?,~\s]/g, '') === '') return ask(reading, 'intent');

  // Short answers: "yes", "go ahead", "응", "아니", "취소".
  const answer = shortAnswer(lower);
  if (answer !== undefined) return done(reading, { kind: answer, notes: reading.notes });

  // Operations.
  if (entities.operationId !== undefined || cueAt(lower, 'cancelOperation') >= 0) {
    if (cueAt(lower, 'cancelOperation') >= 0 || /\b(?:cancel|abort|stop)\b|취소|중단/.test(lower)) {
      const intent: Intent = { kind: 'cancelOperation', notes: reading.notes };
      const id = entities.operationId ?? context.lastOperationId;
      if (id !== undefined) intent.operationId = id;
      return done(reading, intent);
    }
  }
  const describesNodes =
    hasRequirements(entities.requirements) ||
    entities.gpuMentioned ||
    entities.apps.length > 0 ||
    entities.counts.length > 0;
  if (entities.operationId !== undefined || (cueAt(lower, 'operationStatus') >= 0 && !describesNodes)) {
    const intent: Intent = { kind: 'operationStatus', notes: reading.notes };
    const id = entities.operationId ?? context.lastOperationId;
    if (id !== undefined) intent.operationId = id;
    return done(reading, intent);
  }

  // Commands: only when the person asks to run something and names something runnable.
  const appNames = entities.apps.map((app) => app.name);
  const runAt = cueAt(lower, 'run');
  // A backticked command with "check … with `df -h`" is as clear as "run".
  const backtickAsked =
    prepared.quotes.some((quote) => quote.backtick) &&
    /\b(?:check|with|using|try|do|show)\b|확인|으로|로\s/.test(lower);
  const checkWith = runAt < 0 && (CHECK_WITH_EN.test(lower) || CHECK_WITH_KO.test(lower));
  if (runAt >= 0 || backtickAsked || checkWith) {
    const command = findCommand(prepared, entities, appNames);
    if (command !== undefined) {
      let targetText = blank(rest, command.start, command.end);
      const runWord = CUES.run.exec(lower);
      if (runWord !== null) targetText = blank(targetText, runWord.index, runWord.index + runWord[0].length);
      const found = target(reading, targetText, false, [command.command], true);
      const partial = { kind: 'runCommand' as const, command: command.command, quoted: command.quoted };
      const question = targetQuestion(reading, found, partial);
      if (question !== undefined || found.kind !== 'found') return question ?? ask(reading, 'target');
      const intent: Intent = {
        kind: 'runCommand',
        target: found.target,
        command: command.command,
        quoted: command.quoted,
        notes: reading.notes,
      };
      if (entities.node !== undefined) intent.node = entities.node;
      return done(reading, intent);
    }
    // "run a command on demo" without the command.
    if (/\b(?:command|cmd|script)\b|명령/.test(lower) && appNames.length === 0)
      return ask(reading, 'command', {}, { kind: 'runCommand' });
  }

  const createAt = cueAt(rest, 'create');
  const creating = createAt >= 0;
  const hardware = hasRequirements(entities.requirements) || entities.gpuMentioned;
  const countsNodes = entities.counts.some((count) => count.withNoun && !count.more);

  // "drop nginx and use vllm instead", "AWS 말고": a pending plan is revised before any other reading.
  if (context.pendingPlan !== undefined && cueAt(lower, 'amend') >= 0 && planEntities(entities, false))
    return revisePlan(reading, context.pendingPlan);

  // "remove 2 nodes from web" scales; it is no delete.
  const scaleAt = cueAt(lower, 'scale');
  if (
    scaleAt >= 0 &&
    /\b(?:remove|drop|take\s+(?:away|out|off))\s+\d|\btake\s+\d+\s+(?:\S+\s+)?(?:out|off|away)\b|\d+\s*(?:대|개|노드)?\s*(?:만|을|를)?\s*(?:빼|제거)/.test(
      lower,
    ) &&
    entities.node === undefined &&
    context.pendingPlan === undefined
  )
    return buildScale(reading, rest);

  // Lifecycle: delete/terminate/suspend/resume/reboot an MCI or a node.
  const lifecycle = lifecycleAction(rest);
  if (lifecycle !== undefined && cueAt(lower, 'estimate') < 0) {
    const resumeCreates =
      lifecycle.action === 'resume' &&
      (hardware || countsNodes || entities.apps.length > 0) &&
      !/\b(?:it|them)\b|그거|다시/.test(lower);
    const pending = context.pendingPlan;
    if (!resumeCreates && !(creating && lifecycle.action !== 'delete')) {
      // "cancel that"/"forget it" while a plan waits and no MCI is in view: drop the plan.
      if (
        lifecycle.action === 'delete' &&
        pending !== undefined &&
        context.lastMciName === undefined &&
        /\b(?:it|that|this)\b|그거|이거/.test(lower)
      )
        return done(reading, { kind: 'reject', notes: [...reading.notes, 'the pending plan is dropped'] });
      if (!(lifecycle.action === 'suspend' && cueAt(lower, 'cancelOperation') >= 0))
        return buildLifecycle(reading, lifecycle.action, rest);
    }
  }

  // Scaling an existing MCI (a pending plan is revised instead).
  if (scaleAt >= 0 && !creating && context.pendingPlan === undefined) return buildScale(reading, rest);

  // Installing apps: on an MCI the sentence names or points at, else on new VMs (deploy).
  const installAt = cueAt(lower, 'install');
  const located = (): boolean => placesOf(reading, providersOf(entities)).length > 0;
  if (entities.apps.length > 0 && installAt >= 0) {
    const pending = context.pendingPlan;
    const onSomething =
      /\b(?:on|to|onto|into)\s+(?!(?:\d|a\b|an\b|new\b|some\b|spot\b))\S+|에\s*(?:설치|깔|추가|올려)|에다/.test(
        rest,
      );
    if (pending !== undefined && !onSomething) return revisePlan(reading, pending);
    const found = target(reading, rest, false, appNames);
    const explicit = found.kind === 'found' && found.target.via !== 'unverified';
    if (explicit || (!hardware && !countsNodes && !located() && found.kind !== 'none'))
      return buildInstall(reading, rest);
    if (!hardware && !countsNodes && !located()) {
      if (
        /\b(?:also|too|as\s+well)\b|도\s*(?:설치|깔|추가|넣)|에도/.test(lower) &&
        context.lastMciName !== undefined
      )
        return done(reading, {
          kind: 'installApp',
          target: { name: context.lastMciName, via: 'context' },
          apps: dedupeApps(entities.apps),
          notes: reading.notes,
        });
      if (!creating)
        return ask(
          reading,
          'app',
          { app: appNames.join(', '), options: knownNames(reading) },
          { kind: 'installApp', apps: entities.apps },
        );
    }
  }

  // A pending plan, changed by a follow-up.
  const pending = context.pendingPlan;
  if (pending !== undefined && cueAt(lower, 'estimate') < 0) {
    const amending = cueAt(lower, 'amend') >= 0 || scaleFactor(lower) !== undefined;
    if (amending || (!creating && planEntities(entities, false)) || (!creating && located()))
      return revisePlan(reading, pending);
  }

  // Cost questions come before deploy ("how much to deploy 3 GPU VMs?").
  if (
    cueAt(lower, 'estimate') >= 0 &&
    !(creating && /\bunder|\bbelow|within|이하|이내|미만|넘지/.test(lower))
  )
    return buildEstimate(reading);

  if (cueAt(lower, 'listApps') >= 0 && !describesNodes)
    return done(reading, { kind: 'listApps', notes: reading.notes });

  // Deploy.
  if (creating) return buildDeploy(reading);

  // "what is gpu-lab", "how many nodes does demo have": a known MCI named, nothing to search for.
  if (!describesNodes && entities.providerMentions === 0 && context.knownMcis !== undefined && !located()) {
    const named = target(reading, rest, false);
    if (named.kind === 'found' && named.target.via === 'named')
      return done(reading, { kind: 'mciStatus', target: named.target, notes: reading.notes });
  }

  // Listings, status, help.
  const statusAt = cueAt(rest, 'status');
  if (cueAt(lower, 'list') >= 0 && !hardware && entities.apps.length === 0) {
    const found = target(reading, rest, false);
    if (found.kind === 'found' && found.target.via === 'named')
      return done(reading, { kind: 'mciStatus', target: found.target, notes: reading.notes });
    return done(reading, { kind: 'listMcis', notes: reading.notes });
  }

  // Searching: a search word, or hardware/places said without a verb; "what about Tokyo?" redoes the last one.
  // "cheapest" alone is a preference ("cheapest T4 box, put vLLM on it"); "the 3 cheapest" ranks a list.
  const searchAt = RANKED.test(lower) ? 0 : cueAt(rest, 'search');
  const namedPlaces = (): boolean => located();
  if (
    context.lastSearch !== undefined &&
    /\b(?:what|how)\s+about\b|\band\s+(?:in|on|with)\b|\binstead\b|(?:는|은)\s*(?:\?|어때|요)|어때|로\s*(?:다시|바꿔)/.test(
      lower,
    ) &&
    (planEntities(entities, false) || namedPlaces())
  )
    return buildSearch(reading, context.lastSearch);
  if (
    searchAt >= 0 &&
    countsNodes &&
    (entities.apps.length > 0 || entities.each || cueAt(rest, 'create') >= 0)
  )
    return buildDeploy(reading);
  if (
    searchAt >= 0 &&
    (hardware ||
      entities.preference !== undefined ||
      entities.providerMentions > 0 ||
      namedPlaces() ||
      /\b(?:specs?|prices?|pricing|instances?|vms?|gpus?)\b|가격|스펙|사양|인스턴스/.test(lower))
  )
    return buildSearch(reading);

  if (statusAt >= 0) {
    // "what's the status?" is about the last MCI; "어때" alone is not enough to assume one.
    const statusWord = /\b(?:status|state|health|healthy)\b|상태|현황/.test(lower);
    const found = target(reading, rest, false, [], statusWord);
    // "오늘 날씨 어때": a status word with nothing that could be an MCI is no status request.
    if (
      found.kind === 'none' &&
      !/\b(?:mcis?|clusters?|servers?|vms?|nodes?|deployments?|infra\w*|it|that)\b|클러스터|서버|노드|인프라|그거|이거/.test(
        lower,
      )
    )
      return ask(reading, 'intent');
    const question = targetQuestion(reading, found, { kind: 'mciStatus' });
    if (question !== undefined || found.kind !== 'found') return question ?? ask(reading, 'target');
    return done(reading, { kind: 'mciStatus', target: found.target, notes: reading.notes });
  }

  if (cueAt(lower, 'greeting') >= 0 || cueAt(lower, 'help') >= 0)
    return done(reading, {
      kind: 'help',
      greeting: cueAt(lower, 'greeting') >= 0 && cueAt(lower, 'help') < 0,
      notes: reading.notes,
    });

  // Follow-ups without a pending plan: "make it 5" scales the last MCI; "what about Tokyo?" redoes the search.
  if (/\bmake\s+it\b|(?:대|개)\s*(?:로|으로)\s*(?:해|바꿔|맞춰)/.test(lower) && entities.counts.length > 0) {
    // "demo 3대로 맞춰줘" names its MCI; "actually, make it 5" means the last one.
    const found = target(reading, rest, false, [], true);
    const named = found.kind === 'found' && found.target.via === 'named' ? found.target : undefined;
    const last = context.lastMciName;
    const mci = named ?? (last === undefined ? undefined : { name: last, via: 'context' as const });
    if (mci !== undefined) {
      const count = entities.counts[0] as CountMention;
      return done(reading, {
        kind: 'scale',
        target: mci,
        change: { to: count.value },
        notes: reading.notes,
      });
    }
  }
  if (context.lastSearch !== undefined && (planEntities(entities, false) || namedPlaces()))
    return buildSearch(reading, context.lastSearch);

  // Terse requests: "3 GPU VMs in Seoul" deploys; "A100 in Seoul" searches.
  if (countsNodes && (hardware || namedPlaces() || entities.apps.length > 0 || entities.providerMentions > 0))
    return buildDeploy(reading);
  if (entities.apps.length > 0 && (hardware || namedPlaces())) return buildDeploy(reading);
  // "시간당 500원 이하 VM 서울에": a place with a preference, a provider or a budget is worth a search.
  if (
    hardware ||
    (namedPlaces() &&
      (entities.preference !== undefined || entities.providerMentions > 0 || entities.budget !== undefined))
  )
    return buildSearch(reading);
  if (
    cueAt(lower, 'amend') >= 0 &&
    (entities.providerMentions > 0 || entities.counts.length > 0 || namedPlaces())
  )
    return ask(reading, 'intent');
  if (entities.apps.length > 0)
    return ask(
      reading,
      'app',
      { app: entities.apps.map((app) => app.name).join(', '), options: knownNames(reading) },
      { kind: 'installApp', apps: entities.apps },
    );
  return ask(reading, 'intent');
}
