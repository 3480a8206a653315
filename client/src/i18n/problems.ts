import { LIMITS, type SubmissionProblem } from '../../../schema/item.ts';
import { msg } from './index.ts';

/**
 * A submission problem (schema/item.ts) in the interface language, by its field and code; the server's English
 * message only for a problem this client does not know (a newer server).
 */
export function problemText(p: SubmissionProblem): string {
  const option = /^options\.(\d+)$/.exec(p.path);
  if (option && p.code === 'required') return msg('problemOptionRequired', { n: Number(option[1]) + 1 });
  switch (`${p.path}:${p.code}`) {
    case 'question:required':
      return msg('problemQuestionRequired');
    case 'country:required':
      return msg('problemCountryRequired');
    case 'referenceAnswer:required':
      return msg('problemReferenceAnswerRequired');
    case 'acceptedAnswers:required':
      return msg('problemAcceptedAnswersRequired');
    case 'acceptedAnswers:duplicate':
      return msg('problemAcceptedAnswersDuplicate');
    case 'options:count':
      return msg('problemOptionsCount', { min: LIMITS.minOptions, max: LIMITS.maxOptions });
    case 'options:duplicate':
      return msg('problemOptionsDuplicate');
    case 'correctIndex:required':
      return msg('problemCorrectIndexRequired');
    case 'trueFalseAnswer:required':
      return msg('problemTrueFalseRequired');
    case 'primaryCategory:required':
      return msg('problemPrimaryCategoryRequired');
    case 'hazard:required':
      return msg('problemHazardRequired');
    case 'attackStyle:required':
      return msg('problemAttackStyleRequired');
    case 'expectedBehavior:required':
      return msg('problemExpectedBehaviorRequired');
    case 'trials:required':
      return msg('problemTrialsRequired');
    default:
      return p.message;
  }
}
