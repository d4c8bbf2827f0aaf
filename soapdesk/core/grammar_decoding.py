"""Greedy decoding under a grammar, checking the grammar only when it matters.

llama-cpp-python's sampler chain applies a GBNF grammar to every entry of the
vocabulary before each token (151k entries for Qwen2.5): on two cores that
costs about a third of drafting time. Greedy decoding only needs the best
token the grammar allows, so we pick the best token first, ask the grammar
about that one token, and constrain the whole vocabulary only when it was
rejected -- the same trick llama.cpp's own `common_sampler` uses. The output
is token-for-token what the library's grammar sampler would give (a test
compares them); only the work per token changes.

This reaches into llama-cpp-python internals (`_ctx`, `_model`, `n_tokens`),
which is why pyproject pins the exact llama-cpp-python version.
"""

from __future__ import annotations

import codecs
import ctypes
from collections import deque
from collections.abc import Iterator

import numpy as np

from soapdesk.core import clinical_text as ct

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)


class GreedyGrammarSampler:
    """Greedy choice with llama.cpp's repeat penalty, under a grammar checked lazily."""

    def __init__(self, llm, grammar, *, repeat_penalty: float = 1.0, penalty_last_n: int = 64,
                 banned: np.ndarray | None = None):
        import llama_cpp

        self._c = llama_cpp
        self._llm = llm
        self._vocab = llm._model.vocab
        self.n_vocab = llm.n_vocab()
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            self._vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not self._grammar:
            raise ValueError("the grammar could not be compiled")
        self.repeat_penalty = repeat_penalty
        self._recent: deque[int] = deque(maxlen=penalty_last_n)
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(data=self._one, size=1, selected=-1, sorted=False)
        self._all = np.zeros(self.n_vocab, dtype=_TOKEN_DATA)
        self._all["id"] = np.arange(self.n_vocab, dtype=np.int32)
        self.full_checks = 0
        self._banned = banned if banned is not None and len(banned) else None

    def close(self):
        if self._grammar:
            self._c.llama_sampler_free(self._grammar)
            self._grammar = None

    def __del__(self):
        self.close()

    def _logits(self) -> np.ndarray:
        ptr = self._c.llama_get_logits_ith(self._llm._ctx.ctx, -1)
        logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,)).copy()
        if self.repeat_penalty != 1.0 and self._recent:
            # llama.cpp's penalties sampler: once per distinct recent token,
            # shrink positive logits and push negative ones further down.
            ids = np.fromiter(set(self._recent), dtype=np.int64)
            vals = logits[ids]
            logits[ids] = np.where(vals <= 0, vals * self.repeat_penalty, vals / self.repeat_penalty)
        if self._banned is not None:
            logits[self._banned] = -np.inf
        return logits

    def _grammar_allows(self, token: int, logit: float) -> bool:
        self._one[0].id = token
        self._one[0].logit = logit
        self._one[0].p = 0.0
        self._c.llama_sampler_apply(self._grammar, ctypes.byref(self._one_array))
        return np.isfinite(self._one[0].logit)

    def sample(self) -> int:
        logits = self._logits()
        token = int(np.argmax(logits))
        if not self._grammar_allows(token, float(logits[token])):
            self.full_checks += 1
            self._all["logit"] = logits
            arr = self._c.llama_token_data_array(
                data=self._all.ctypes.data_as(ctypes.POINTER(self._c.llama_token_data)),
                size=self.n_vocab, selected=-1, sorted=False)
            self._c.llama_sampler_apply(self._grammar, ctypes.byref(arr))
            token = int(self._all["id"][int(np.argmax(self._all["logit"]))])
        return token

    def accept(self, token: int):
        self._c.llama_sampler_accept(self._grammar, token)
        self._recent.append(token)

    def is_end(self, token: int) -> bool:
        return bool(self._c.llama_vocab_is_eog(self._vocab, token))


def evaluate_prompt(llm, tokens: list[int]) -> int:
    """Evaluate `tokens`, reusing the longest prefix already in the KV cache.

    Returns how many tokens came from the cache. At least the last token is
    always evaluated so the logits belong to this prompt.
    """
    cached = llm.input_ids[: llm.n_tokens]
    n = min(len(cached), len(tokens) - 1)
    same = np.flatnonzero(cached[:n] != np.asarray(tokens[:n], dtype=cached.dtype))
    common = int(same[0]) if same.size else n
    llm.n_tokens = common  # eval() drops the KV cache from here on
    llm.eval(tokens[common:])
    return common


def generate_text(llm, prompt_tokens: list[int], sampler: GreedyGrammarSampler, *,
                  max_tokens: int) -> Iterator[str]:
    """Yield the text of each generated token (UTF-8 split across tokens is joined)."""
    evaluate_prompt(llm, prompt_tokens)
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    for _ in range(max_tokens):
        token = sampler.sample()
        if sampler.is_end(token):
            break
        sampler.accept(token)
        yield utf8.decode(llm.detokenize([token], special=False))
        llm.eval([token])
    tail = utf8.decode(b"", final=True)
    if tail:
        yield tail


def second_person_tokens(llm) -> np.ndarray:
    """Ids of the vocabulary entries that are "you", "your", "you're", ... alone.

    A note is written in the third person. When a small model writes "you" it
    has stopped summarising and is copying the clinician's speech ("Dragon,
    show me the vital signs. So, here in the office today, your vital signs
    look great."); on ACI-Bench train that was the whole Physical Examination
    in 5 of 16 drafts. Without these words the same greedy path has to name the
    patient, which turns it back into a note."""
    ids = []
    for i in range(llm.n_vocab()):
        piece = llm.detokenize([i], special=False).decode("utf-8", errors="ignore").strip().lower()
        if piece and ct.SECOND_PERSON.fullmatch(piece):
            ids.append(i)
    return np.asarray(ids, dtype=np.int64)
