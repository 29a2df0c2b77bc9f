"""Companion learning: every cited answer becomes a short task, graded on the spot, recorded and credited.

This is the one place where the assistant (answers and citations), the task engine (``assistant.learning``)
and the teacher records (``assistant.records``) meet, so the CLI, the API and the bots all give a teacher
the same quiz, the same grade and the same credit for the same answer.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answering import Answer, Verdict
from assistant.errors import InvalidInput, NotFound
from assistant.hits import Hit
from assistant.learning.generation import OfflineTaskGenerator
from assistant.learning.grading import grade, overlong
from assistant.learning.placing import placed, plan_day_sources
from assistant.learning.tasks import OBJECTIVE, Task, TaskGenerator, TaskSource, sources_from_answer
from assistant.learning.topicality import Domain
from assistant.learning.vocabulary import Vocabulary
from assistant.llm.tasks import LLMTaskGenerator
from assistant.records import NextStep, Plan, Records, Teacher, Topic, topics_from_chunks
from assistant.records.plans import plan_profile
from assistant.service import Assistant
from indexer.structure import PATH_SEPARATOR


class CompanionError(NotFound):
    """A request about a teacher or task we do not know; the message says so in Chinese."""


class NotAnAnswer(InvalidInput):
    """A reply that cannot be graded (empty, an option that matches nothing, too short); nothing is recorded
    and the message, a hint in Chinese, gives nothing of the key away."""


PRACTICE_NOTE = "（练习：你之前已作答过本题，学分按第一次作答计算，本次只批改、不计学时学分。）"
OPEN_PRACTICE_NOTE = "（练习：你已完成本题并计过学分，本次只批改、不计学时学分。）"
# After a counted attempt that earned nothing, say what became of the credit: an objective task is decided by its
# first answer, while an open task's feedback asks for a rewrite, and the rewrite that passes earns the credit.
LOCKED_NOTE = "本题已作答，学分按第一次作答计算：这次没有答对，本题不再计学时学分，之后再答只作练习。"
RETRY_NOTE = "这次未通过，不计学分；按上面的提示修改后再提交，通过即可获得本题的学时学分。"


NOTHING_FOUND = "知识库中没有找到与之相关的内容，暂时无法出题。"
ABOUT_US = "这是助手对自己的介绍，不是依据文件作答，无法据此出题；请先提一个关于培训政策的问题。"
NOTHING_TO_ASK = "引用的原文里没有适合出题的句子，暂时无法出题，换个问题试试。"
# Related text was cited although the question itself is not answered: the tasks are on that text, and
# the teacher is told so rather than that nothing was found.
UNSTATED = "文件没有写明{missing}，无法就这一点出题；下面的题目出自回答中引用的相关原文。"
UNSTATED_NOTHING_TO_ASK = "文件没有写明{missing}；回答中引用的相关原文里也没有适合出题的句子，暂时无法出题。"


# The answers whose citations are quizzed: the answer's source, or the related text shown where the documents
# leave the question open.
QUIZZED = (Verdict.ANSWERED, Verdict.NOT_SPECIFIED)


@dataclass(frozen=True)
class Offer:
    """The tasks of a quiz and what to tell the teacher about them: why there are none, or that they are on
    text related to a question the documents leave open (empty when the tasks speak for themselves)."""

    tasks: list[Task] = field(default_factory=list)
    note: str = ""


def quizzable(answer: Answer) -> bool:
    """Whether an answer has text to quiz on: what it cites as the answer or, when the documents do not state
    what was asked, as related text the teacher was shown. Not a self-introduction, not a blank."""
    return bool(answer.citations) and answer.verdict in QUIZZED


def _note(answer: Answer | None, topic: str, tasks: Sequence[Task]) -> str:
    if answer is None:
        if tasks:
            return ""
        return f"知识库中没有找到与“{topic}”相关的内容，暂时无法出题。" if topic else NOTHING_FOUND
    if answer.verdict is Verdict.ABOUT_ASSISTANT:
        return ABOUT_US
    if not answer.citations:
        return NOTHING_FOUND
    if answer.verdict is Verdict.NOT_SPECIFIED:
        # What is missing, in the answer's own words when it named it (a declined writing request names an action).
        missing = answer.missing if answer.missing and f"没有写明{answer.missing}" in answer.text else "所问的内容"
        return (UNSTATED if tasks else UNSTATED_NOTHING_TO_ASK).format(missing=missing)
    return "" if tasks else NOTHING_TO_ASK


class Companion:
    def __init__(self, assistant: Assistant, records: Records, generator: TaskGenerator | None = None) -> None:
        self.assistant = assistant
        self.records = records
        self._generator = generator
        self._lock = threading.Lock()
        self._vocab_size = -1
        self._vocabulary: Vocabulary | None = None
        self._generator_from: Vocabulary | None = None  # the vocabulary the offline generator was built on
        self._domain: Domain | None = None
        self._topics: tuple[int, list[Topic]] = (0, [])  # (hash of the live chunk ids, their plan topics)

    def _vocabulary_now(self) -> Vocabulary:
        """The knowledge base's vocabulary, worked out again when its number of chunks changed; the caller
        holds the lock."""
        chunks = self.assistant.chunks()
        if self._vocabulary is None or self._vocab_size != len(chunks):
            self._vocabulary = Vocabulary.from_texts([c.text for c in chunks],
                                                     [str(c.metadata.get("doc_id", "")) for c in chunks])
            self._domain = Domain(self._vocabulary.words)
            self._vocab_size = len(chunks)
        return self._vocabulary

    @property
    def generator(self) -> TaskGenerator:
        """Built from the knowledge base itself, so distractors are the corpus's own figures and terms."""
        with self._lock:
            vocabulary = self._vocabulary_now()
            if self._generator is None or (self._generator_from is not vocabulary and isinstance(
                    self._generator, OfflineTaskGenerator | LLMTaskGenerator)):
                self._generator, self._generator_from = OfflineTaskGenerator(vocabulary), vocabulary
                llm = getattr(self.assistant, "llm", None)
                if llm is not None:  # scenario questions by the model, the offline ones as fallback
                    self._generator = llm.task_generator(self._generator, getattr(self.assistant.store, "embedder", None))
            return self._generator

    @property
    def domain(self) -> Domain:
        """What the knowledge base talks about: an open answer must be about it too (``topicality``)."""
        with self._lock:
            self._vocabulary_now()
            assert self._domain is not None
            return self._domain

    # -- teachers -----------------------------------------------------------------------------------
    def teacher(self, channel: str, external_id: str, display_name: str = "") -> Teacher:
        return self.records.teachers.get_or_create_by_channel(channel, external_id, display_name)

    # -- tasks --------------------------------------------------------------------------------------
    def quiz(self, *, question: str | None = None, topic: str | None = None, answer: Answer | None = None,
             limit: int = 6, history: Sequence[dict[str, Any]] | None = None, doc_id: str | None = None
             ) -> list[Task]:
        """The tasks of ``offer``, for callers that need no word to the teacher about them."""
        return self.offer(question=question, topic=topic, answer=answer, limit=limit, history=history,
                          doc_id=doc_id).tasks

    def offer(self, *, question: str | None = None, topic: str | None = None, answer: Answer | None = None,
              limit: int = 6, history: Sequence[dict[str, Any]] | None = None, doc_id: str | None = None) -> Offer:
        """Tasks grounded in the passages an answer cited: ``answer`` as given, the answer to ``question``
        (a follow-up read with its ``history``, as it was answered), or the passages that best match ``topic``
        (within the document ``doc_id`` when given).

        An answer saying the documents do not state what was asked still cites the related text the teacher
        was shown; the tasks are on that text, and the note says the question itself is not stated. Without
        tasks the note says why: nothing found, a self-introduction, or no sentence to ask about."""
        if answer is None and question:
            answer = self.assistant.answer(question, history)
        if answer is not None:
            if not quizzable(answer):
                return Offer([], _note(answer, "", []))
            sources = sources_from_answer(answer)
        else:
            found = self.assistant.retrieve(topic or "")
            floor = getattr(getattr(self.assistant, "tuning", None), "abstain_threshold", 0.0)
            # A topic with no word to search by, or nothing near it (😀), would be quizzed on whatever ranked first.
            hits = found.hits if found.terms and found.strength >= floor else []
            hits = [h for h in hits if doc_id is None or h.doc_id == doc_id][:2]
            sources = [TaskSource(h.id, h.doc_id, h.title, h.section, h.text,
                                  str(h.metadata.get("doc_number", "")), _on_topic(h, topic or "")) for h in hits]
        return Offer(kept := self._made(sources, limit), _note(answer, topic or "", kept))

    def _made(self, sources: Sequence[TaskSource], limit: int) -> list[Task]:
        """Tasks from these passages, each filed where its sentence is and stored as served."""
        return [self._kept(placed(t)) for t in self.generator.generate(sources, limit=limit)]

    def _kept(self, task: Task) -> Task:
        """The task as stored, which is the one graded. A task's id is its sentence and blank, not its options:
        once the knowledge base has grown, the same question is generated with other distractors, and serving
        those while grading the stored ones would refuse the options the teacher saw (and move the letters)."""
        self.records.tasks.save(task.to_dict())
        stored = self.records.tasks.get(task.id)
        return Task.from_dict(stored) if stored is not None else task

    def task(self, task_id: str) -> Task:
        data = self.records.tasks.get(task_id)
        if data is None:
            raise CompanionError(f"未找到编号为 {task_id} 的学习任务。")
        return Task.from_dict(data)

    def answer_task(self, teacher_id: str, task_id: str, response: str | list[str]) -> dict[str, Any]:
        """Grade, record the attempt, schedule a review if wrong, credit a right counted attempt.

        An objective task counts the teacher's first attempt only; an open task counts attempts until one
        passes (decided atomically in the records). Later attempts are graded as practice, and the feedback
        always says what became of the credit. The result reveals what the served task hid:
        the key, the rubric and the source with its text. Raises ``NotAnAnswer`` for a reply that is not
        an answer, before anything is recorded.
        """
        too_long = overlong(response)
        if too_long:  # the same refusal on every channel, whatever its own transport allows
            raise NotAnAnswer(too_long)
        task = self.task(task_id)
        result = grade(task, response, self.domain if not task.objective else None)
        if not result.answered:
            raise NotAnAnswer(result.feedback)
        text = response if isinstance(response, str) else "、".join(response)
        outcome = self.records.record_answer(teacher_id, task_id, text, result.correct, result.score)
        hours, credits = self.records.ledger.balance(teacher_id)
        full = task.to_dict()
        return {"correct": result.correct, "score": round(result.score, 3),
                "feedback": _with_credit_note(task, result.feedback, outcome.practice, result.correct),
                "practice": outcome.practice,
                "credits_awarded": outcome.credited.credits if outcome.credited else 0.0,
                "hours_awarded": outcome.credited.hours if outcome.credited else 0.0,
                "balance": round(credits, 6), "hours_balance": round(hours, 6),
                "objective": task.type in OBJECTIVE,
                "answer": full["answer"], "rubric": full["rubric"], "source": full["source"]}

    # -- progress and plans -------------------------------------------------------------------------
    def progress(self, teacher_id: str) -> dict[str, Any]:
        return self.records.attempts.progress(teacher_id)

    def plan(self, teacher_id: str, *, weeks: int | None = None, rebuild: bool = False) -> Plan:
        """The teacher's plan as things are now: one made before a resource was deleted, replaced or added,
        or before the teacher changed stage, subject or school level, is re-ranked when it is next read
        (``weeks``: also to that length), keeping its start, picks, drops and days done, so every surface
        shows the same plan whichever of them the change came through. ``rebuild`` starts a new plan today."""
        existing = self.records.plans.load(teacher_id)
        topics = self.topics()
        teacher = self.records.teachers.get(teacher_id)
        if teacher is None:
            raise CompanionError("未找到该教师。")
        profile = plan_profile(teacher)
        if existing is not None and not rebuild:
            if (_shown(existing.topics) != _shown(topics) or existing.profile != profile
                    or (weeks or existing.weeks) != existing.weeks):
                return self.records.plans.follow(teacher_id, topics, profile, weeks)
            return existing
        return self.records.plans.create(teacher_id, profile, topics, weeks or 4)

    def topics(self) -> list[Topic]:
        """Plan topics of the live knowledge base, worked out again only when its chunks changed."""
        chunks = self.assistant.chunks()
        stamp = hash(tuple(c.id for c in chunks))
        with self._lock:
            if self._topics[0] != stamp or not self._topics[1]:
                self._topics = (stamp, topics_from_chunks(chunks))
            return self._topics[1]

    def what_next(self, teacher_id: str) -> tuple[NextStep, list[Task]]:
        """The next step and tasks for it: a due review, a weak topic, or today's plan topic, from the plan
        as it reads now (not a day of a deleted document, nor one ranked for the teacher's old profile)."""
        if self.records.plans.load(teacher_id) is not None:
            self.plan(teacher_id)
        step = self.records.what_next(teacher_id)
        if step.task_id:
            return step, [self.task(step.task_id)]
        if step.kind == "plan" and step.item is not None:
            # The day names its document and section: its passages are looked up there, not searched for
            # across the knowledge base (a course outline's 三、考核方式 found the notice's 绩效考核评估).
            sources = plan_day_sources(self.assistant.chunks(), step.item.topic_id)
            if sources:
                return step, self._made(sources, 3)
        if step.kind == "weak" and step.topic and step.doc_id:
            # A weak topic is practised where it was missed: that document's section, else a search of that
            # document only (its new version may have renamed the section); never another document's.
            sources = plan_day_sources(self.assistant.chunks(), f"{step.doc_id}#{step.topic}")
            return step, self._made(sources, 3) if sources else self.quiz(topic=step.topic, limit=3,
                                                                           doc_id=step.doc_id)
        topic = step.topic or (step.item.section if step.item else None)
        return step, self.quiz(topic=topic, limit=3) if topic else []


def _on_topic(hit: Hit, topic: str) -> str:
    """The sentence of a passage the topic asks about, which its tasks are made from first: the one that says
    the topic as given (统编教材培训 is the middle of a passage on 培训内容), else the one the retriever found
    closest to it; the passage's first sentence would quiz whatever it opens with."""
    said = [hit.text[s:e] for s, e, _ in hit.sentences if topic and topic in hit.text[s:e]]
    if said:
        return said[0]
    # A plan day's topic is a section path (二、培训对象) that no sentence says: the first sentence under that
    # heading in the passage is what the day is about, even when the passage is named after the next section.
    heading = topic.split(PATH_SEPARATOR)[-1].strip()
    line = hit.text.find(heading + "\n") if heading else -1
    if line >= 0 and (line == 0 or hit.text[line - 1] == "\n"):
        under = [hit.text[s:e] for s, e, _ in sorted(hit.sentences) if s >= line + len(heading)]
        if under:
            return under[0]
    if not hit.sentences:
        return ""
    s, e, _ = max(hit.sentences, key=lambda x: x[2])
    return hit.text[s:e]


def _shown(topics: Sequence[Topic]) -> set[tuple[str, str]]:
    return {(t.id, t.title) for t in topics}


def _with_credit_note(task: Task, feedback: str, practice: bool, correct: bool) -> str:
    """The feedback with what became of the credit, each on a line of its own: the practice note above the
    verdict, the note on a miss below the source (which ends on its section name, with no stop of its own)."""
    if practice:
        return (PRACTICE_NOTE if task.objective else OPEN_PRACTICE_NOTE) + "\n" + feedback
    if correct:
        return feedback
    return feedback + "\n" + (LOCKED_NOTE if task.objective else RETRY_NOTE)
