/** The application shell: the main layout (menu built from the views' own @Menu), home and error pages. */
@org.jspecify.annotations.NullMarked
package com.voiceledger.ui;
