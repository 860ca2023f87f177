//! The analyzers' last step: Snowball stems (tantivy's own stemmer, the
//! `frostem` crate), remembered. Stemming was a fifth of an indexing run,
//! and a report says the same few thousand words over and over: each
//! analyzer (tantivy clones one per field and indexing thread) keeps the
//! stems it has made, so a word is stemmed once, then looked up.

use std::borrow::Cow;
use std::mem;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyzer before the memory is emptied and filled
/// again: enough for a language's working vocabulary, a few MB at most.
const REMEMBERED: usize = 50_000;

/// A [`TokenFilter`] that stems as tantivy's `Stemmer` does, remembering
/// the stems it has made.
#[derive(Clone)]
pub struct CachedStemmer {
    algorithm: frostem::Algorithm,
}

impl CachedStemmer {
    pub fn new(algorithm: frostem::Algorithm) -> CachedStemmer {
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: frostem::Stemmer::new(self.algorithm),
            stems: FxHashMap::default(),
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    /// Word → stem, for the words this analyzer has stemmed.
    stems: FxHashMap<String, String>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > REMEMBERED {
            self.stems.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: self.stemmer,
            stems: &mut self.stems,
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    stems: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stems.get(token.text.as_str()) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = match self.stemmer.stem(&token.text) {
                    Cow::Borrowed(same) => same.to_string(),
                    Cow::Owned(stem) => stem,
                };
                let word = mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        TextAnalyzer,
    };

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |t| out.push(t.clone()));
        out
    }

    #[test]
    fn remembered_stems_are_tantivys_stems() {
        for (language, algorithm) in [
            (Language::English, frostem::Algorithm::English),
            (Language::Spanish, frostem::Algorithm::Spanish),
        ] {
            let base = || {
                TextAnalyzer::builder(SimpleTokenizer::default())
                    .filter(RemoveLongFilter::limit(40))
                    .filter(LowerCaser)
                    .filter(AsciiFoldingFilter)
            };
            let mut tantivys = base().filter(Stemmer::new(language)).build();
            let mut ours = base().filter(CachedStemmer::new(algorithm)).build();
            let mut texts = crate::generate::sample_texts(8);
            texts.push(
                "running runs ran runner desaparecidos desaparecido desapariciones".repeat(3),
            );
            let mut words = 0;
            // Twice over: stemmed the first time, remembered the second.
            for text in texts.iter().chain(&texts) {
                let want = tokens(&mut tantivys, text);
                assert_eq!(tokens(&mut ours, text), want);
                words += want.len();
            }
            assert!(words > 2000, "{words}");
        }
    }
}
