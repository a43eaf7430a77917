"""BM25 over records keyed by their primary keys, with Norwegian and English stemming, Norwegian
compounds split and a bridge between the two languages, kept as a main segment and a delta of the
changes since, as Lucene keeps its index (see LexicalIndex)."""

from embeddings.lexical._scoring import MAX_QUERY_POSTINGS, MAX_QUERY_TERMS, QueryScores
from embeddings.lexical.analysis import TextAnalyzer
from embeddings.lexical.index import LexicalIndex
from embeddings.lexical.lexicon import Lexicon

__all__ = ["MAX_QUERY_POSTINGS", "MAX_QUERY_TERMS", "LexicalIndex", "Lexicon", "QueryScores", "TextAnalyzer"]
